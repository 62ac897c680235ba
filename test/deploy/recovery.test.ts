import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DeployStore } from '../../main/deploy/store.js';
import { processStart } from '../../main/store/process-identity.js';
import { rejection } from '../support/errors.js';
import { unreapedChild } from '../support/zombie.js';
import { buildTestBundle } from '../lab/bundle.js';
import { deployPlan, discardProduct, startProduct, type Product } from './harness.js';

/** Leaves the records of a deploy that was running in stage 1 when its process went away: a
 * master in the middle of kubeadm init, and a worker no step had reached yet. */
function abandonedDeploy(
  product: Product,
  kind: 'deploy' | 'node_create' = 'deploy',
): { uuid: string; deployId: string } {
  const uuid = randomUUID();
  const deployId = randomUUID();
  const db = product.ctx.db;
  db.prepare(
    `INSERT INTO clusters (uuid, tenant_uuid, name, source, state, created_at, updated_at)
     VALUES (?, '00000000-0000-4000-8000-000000000000', ?, 'deployed', ?, 1, 1)`,
  ).run(uuid, `c-${uuid.slice(0, 8)}`, kind === 'deploy' ? 'deploying' : 'running');
  const node = db.prepare(
    `INSERT INTO nodes (cluster_uuid, ip, node_name, role, state, position) VALUES (?, ?, ?, ?, 'deploying', 0)`,
  );
  node.run(uuid, '198.18.59.11', 'm', 'master');
  node.run(uuid, '198.18.59.21', 'w', 'worker');
  const snapshot = {
    name: 'abandoned',
    master_list: [{ IP: '198.18.59.11', NodeName: 'm' }],
    node_list: [{ IP: '198.18.59.21', NodeName: 'w' }],
  };
  const store = new DeployStore(db, deployId);
  store.create(uuid, kind, snapshot, [
    { ip: '198.18.59.11', role: 'master' },
    { ip: '198.18.59.21', role: 'worker' },
  ]);
  store.stageStarted(0);
  store.stageFinished(0, null);
  store.stageStarted(1);
  store.hostMessage('198.18.59.11', 'deploying');
  store.stepStarted(1, '198.18.59.11', 'kubeadm init');
  return { uuid, deployId };
}

describe('a deploy left running by a process that is gone', () => {
  const products: Product[] = [];
  afterEach(async () => {
    for (const p of products.splice(0)) await discardProduct(p);
  });

  it('is marked failed at start-up with a clear err_info, its other records intact', async () => {
    const first = startProduct();
    const { uuid, deployId } = abandonedDeploy(first);
    await first.close();
    const second = startProduct(first.dir);
    products.push(second);

    const status = await second.services.api.deployStatus({ uuid });
    expect(status.deploy_id).toBe(deployId);
    expect(status.is_over).toBe(true);
    expect(status.DeployStage.State).toBe('failed');
    expect(status.err_info).toMatch(/interrupted/);
    expect(status.err_info_cn).toMatch(/^部署被中断：.*（进程结束或机器重启）；再次运行部署/);
    expect(status.DeployStage.CurrentStage).toBe(1);
    expect(status.DeployStage.Stages[0]).toMatchObject({
      success: true,
      is_finish: true,
      error: null,
    });
    expect(status.DeployStage.Stages[1]).toMatchObject({
      success: false,
      is_finish: true,
      error: status.err_info,
      error_cn: status.err_info_cn,
    });
    expect(status.DeployStage.Stages[2]).toMatchObject({ start_time: 0, is_finish: false });
    expect(status.steps).toMatchObject([
      {
        step: 'kubeadm init',
        state: 'failed',
        error: status.err_info,
        error_cn: status.err_info_cn,
      },
    ]);
    // Interrupted, not failed: the master was stopped in kubeadm init, the worker not reached.
    expect(status.total_status).toMatchObject([
      { addr: '198.18.59.11', message: 'stopped', step: 'kubeadm init' },
      { addr: '198.18.59.21', message: 'not_reached', step: '', step_cn: '' },
    ]);
    const db = second.ctx.db;
    expect(db.prepare('SELECT state FROM clusters WHERE uuid = ?').get(uuid)).toEqual({
      state: 'failed',
    });
    expect(
      db.prepare('SELECT ip, state FROM nodes WHERE cluster_uuid = ? ORDER BY ip').all(uuid),
    ).toEqual([
      { ip: '198.18.59.11', state: 'stopped' },
      { ip: '198.18.59.21', state: 'not_reached' },
    ]);
  });

  it('is left alone while the process that runs it is alive', async () => {
    const first = startProduct();
    products.push(first);
    const { uuid, deployId } = abandonedDeploy(first);
    // The test runner's parent process stands for another TopKE process on the same data folder.
    mkdirSync(join(first.dir, 'run', 'deploys'), { recursive: true });
    writeFileSync(join(first.dir, 'run', 'deploys', deployId), String(process.ppid));
    const second = startProduct(first.dir);
    products.push(second);
    const status = await second.services.api.deployStatus({ uuid });
    expect(status.is_over).toBe(false);
    expect(status.DeployStage.State).toBe('running');
  });

  it('is marked failed when its process ends while this one is up, a zombie as much as gone', async () => {
    const product = startProduct();
    products.push(product);
    const { uuid, deployId } = abandonedDeploy(product);
    const runner = await unreapedChild();
    try {
      mkdirSync(join(product.dir, 'run', 'deploys'), { recursive: true });
      writeFileSync(
        join(product.dir, 'run', 'deploys', deployId),
        JSON.stringify({ pid: runner.pid, start: processStart(runner.pid) }),
      );
      expect((await product.services.api.deployStatus({ uuid })).is_over).toBe(false);
      const busy = await rejection(product.services.api.clusterDelete({ uuid }));
      expect(busy).toMatchObject({ code: 'conflict', field: 'uuid' });
      // Killed with SIGKILL and not reaped by its parent: a zombie, no longer running the deploy.
      await runner.kill();
      const listed = await product.services.api.clusterList({});
      expect(listed.list.find((c) => c.uuid === uuid)).toMatchObject({ state: 'failed' });
      const status = await product.services.api.deployStatus({ uuid });
      expect(status).toMatchObject({ is_over: true, DeployStage: { State: 'failed' } });
      expect(status.err_info).toMatch(/^the deploy was interrupted/);
      expect(status.total_status).toMatchObject([
        { addr: '198.18.59.11', message: 'stopped', step: 'kubeadm init' },
        { addr: '198.18.59.21', message: 'not_reached' },
      ]);
      expect(await product.services.api.clusterDelete({ uuid })).toEqual({ uuid });
    } finally {
      runner.end();
    }
  });

  it('answers not found, naming the uuid, for a cluster without deploys', async () => {
    const product = startProduct();
    products.push(product);
    const missing = randomUUID();
    const err = await product.services.api.deployStatus({ uuid: missing }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'not_found', field: 'uuid' });
    expect((err as Error).message).toContain(missing);
  });

  it('is stopped and recorded as interrupted when the service closes', async () => {
    const bundle = await buildTestBundle();
    const product = startProduct();
    products.push(product);
    // No host answers at this lab address: the connect step is in flight when the service closes.
    const ghost = { ip: '198.18.59.200' };
    const { uuid } = await product.services.api.deploy(
      deployPlan('closing', [ghost], [], bundle.dir),
    );
    await product.services.close();
    bundle.remove();
    const status = await product.services.api.deployStatus({ uuid });
    expect(status).toMatchObject({
      is_over: true,
      DeployStage: { State: 'failed', CurrentStage: 0 },
    });
    expect(status.err_info).toMatch(/^the deploy was interrupted/);
    expect(status.err_info_cn).toMatch(/^部署被中断：TopKE Installer 在部署过程中停止了；/);
    expect(status.DeployStage.Stages[0]!.error).toBe(status.err_info);
    expect(status.DeployStage.Stages[0]!.error_cn).toBe(status.err_info_cn);
    expect(product.ctx.db.prepare('SELECT state FROM clusters WHERE uuid = ?').get(uuid)).toEqual({
      state: 'failed',
    });
    // Its connect was cut by the stop: the host is stopped there, not failed.
    expect(status.total_status).toMatchObject([
      { addr: ghost.ip, message: 'stopped', step: 'connect' },
    ]);
    expect(
      product.ctx.db.prepare('SELECT state FROM nodes WHERE cluster_uuid = ?').all(uuid),
    ).toEqual([{ state: 'stopped' }]);
  });
});
