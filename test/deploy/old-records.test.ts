/**
 * A deploy recorded before the Chinese texts were kept (schema version 3): after the upgrade its
 * status still reads, the Chinese fields falling back to the English text it has.
 */
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../main/store/migrations.js';
import { discardProduct, startProduct, type Product } from './harness.js';

const UUID = '5a1c0de0-0000-4000-8000-000000000003';
const DEPLOY = 'd-old-1';
const ERR = '198.18.58.11 (m-11) step "kubeadm init" failed with exit code 1: kubeadm init\nboom';

/** A data folder whose database stops at version 3, with one failed deploy in it. */
function oldDataFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'topke-old-'));
  const db = new Database(join(dir, 'topke.sqlite'));
  MIGRATIONS.slice(0, 3).forEach((m) => db.exec(m));
  db.pragma('user_version = 3');
  const snapshot = { name: 'old', master_list: [{ IP: '198.18.58.11', NodeName: 'm-11' }] };
  db.prepare(
    `INSERT INTO deploys (id, cluster_uuid, kind, request, state, current_stage, is_over, err_info,
     created_at) VALUES (?, ?, 'deploy', ?, 'failed', 1, 1, ?, 1)`,
  ).run(DEPLOY, UUID, JSON.stringify(snapshot), ERR);
  const stage = db.prepare(
    `INSERT INTO deploy_stages (deploy_id, idx, name, name_cn, start_time, end_time, success,
     error, is_finish) VALUES (?, ?, ?, ?, 1, 2, ?, ?, 1)`,
  );
  stage.run(DEPLOY, 0, 'init node status', '注册集群信息到部署节点', 1, null);
  stage.run(DEPLOY, 1, 'setup masters', '部署管理节点, 该过程会持续4-6分钟', 0, ERR);
  db.prepare(
    `INSERT INTO deploy_steps (deploy_id, stage, host, step, state, start_time, end_time, exit_code,
     output) VALUES (?, 1, '198.18.58.11', 'kubeadm init', 'failed', 1, 2, 1, 'boom')`,
  ).run(DEPLOY);
  db.close();
  return dir;
}

describe('a deploy recorded before the Chinese texts were kept', () => {
  let product: Product | undefined;
  afterEach(async () => {
    if (product) await discardProduct(product);
    product = undefined;
  });

  it('reads after the upgrade, in English where it has no Chinese', async () => {
    product = startProduct(oldDataFolder());
    const status = await product.services.api.deployStatus({ uuid: UUID });
    expect(status).toMatchObject({ err_info: ERR, err_info_cn: ERR, is_over: true });
    expect(status.DeployStage.Stages.map((s) => [s.error, s.error_cn])).toEqual([
      [null, null],
      [ERR, ERR],
    ]);
    expect(status.steps).toEqual([
      expect.objectContaining({
        step: 'kubeadm init',
        step_cn: '初始化控制平面（kubeadm init）',
        output: 'boom',
        error: null,
        error_cn: null,
      }),
    ]);
  });
});
