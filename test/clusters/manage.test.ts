import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ClusterAddResult,
  ClusterGetResult,
  ClusterListResult,
  DeployPurgeResult,
  TenantListResult,
  TenantView,
} from '../../main/contract/results.js';
import { createTenantHandlers } from '../../main/tenants/service.js';
import { startApiServer, closedPort } from '../support/apiserver.js';
import { kubeconfigYaml } from '../kubeconfig/build.js';
import { b64, createTestPki, type TestPki } from '../kubeconfig/pki.js';
import { createHarness, insertCluster, insertDeploy, type Harness } from './harness.js';

const TOKEN = 'check-now-token';
let h: Harness;
let pki: TestPki;

function tokenKubeconfig(port: number): string {
  return kubeconfigYaml({
    clusters: [
      {
        name: 'c',
        cluster: {
          server: `https://127.0.0.1:${port}`,
          'certificate-authority-data': b64(pki.ca.cert),
        },
      },
    ],
    users: [{ name: 'u', user: { token: TOKEN } }],
    contexts: [{ name: 'u@c', context: { cluster: 'c', user: 'u' } }],
    current: 'u@c',
  });
}

async function add(input: Record<string, unknown>): Promise<ClusterAddResult> {
  return (await h.call('clusterAdd', input)) as ClusterAddResult;
}

beforeAll(() => {
  h = createHarness([createTenantHandlers]);
  pki = createTestPki();
});

afterAll(() => {
  h.close();
  pki.cleanup();
});

describe('check now', () => {
  it('marks a saved unreachable cluster running once its API server answers, with its version', async () => {
    const port = await closedPort();
    const r = await add({
      Name: 'later',
      kube_config_data: tokenKubeconfig(port),
      save_unreachable: true,
    });
    const uuid = r.Infos[0]!.UUID;
    const server = await startApiServer({
      ...pki.server({ ips: ['127.0.0.1'] }),
      tokens: [TOKEN],
      gitVersion: 'v1.27.16',
      port,
    });
    try {
      const checked = ((await h.call('clusterCheck', { uuid })) as ClusterGetResult).list[0]!;
      expect(checked).toMatchObject({
        state: 'running',
        state_desc: '',
        kube_version: { gitVersion: 'v1.27.16', minor: '27' },
      });
      expect(checked.cert_expiry).toBeGreaterThan(Math.floor(Date.now() / 1000));
    } finally {
      await server.close();
    }
    const again = ((await h.call('clusterCheck', { uuid })) as ClusterGetResult).list[0]!;
    expect(again.state).toBe('unreachable');
    expect(again.state_desc).toContain('ECONNREFUSED');
    expect(again.kube_version?.gitVersion).toBe('v1.27.16');
  });

  it('says when a cluster has no kubeconfig yet, and refuses while its deploy runs', async () => {
    insertCluster(h.ctx, { uuid: 'dddddddd-0001', name: 'deploying', state: 'deploying' });
    await expect(h.call('clusterCheck', { uuid: 'dddddddd-0001' })).rejects.toMatchObject({
      code: 'not_found',
      message: 'uuid: cluster deploying has no kubeconfig yet (its deploy has not fetched one)',
    });
    insertDeploy(h.ctx, 'run1', 'dddddddd-0001', 'running');
    await expect(h.call('clusterCheck', { uuid: 'dddddddd-0001' })).rejects.toMatchObject({
      code: 'conflict',
      field: 'uuid',
    });
    await expect(h.call('kubeconfigDownload', { uuid: 'dddddddd-0001' })).rejects.toMatchObject({
      code: 'not_found',
    });
  });
});

describe('delete and purge', () => {
  it('accepts the spec delete example spelling (UUID), then purges the deploy records', async () => {
    insertCluster(h.ctx, { uuid: 'eeeeeeee-0001', name: 'old' });
    insertDeploy(h.ctx, 'old-1', 'eeeeeeee-0001', 'success');
    insertDeploy(h.ctx, 'old-2', 'eeeeeeee-0001', 'success');
    h.ctx.db
      .prepare(
        `INSERT INTO deploy_logs (deploy_id, time, level, message) VALUES ('old-1', 1, 'info', 'line')`,
      )
      .run();
    await expect(h.call('deployPurge', { uuid: 'eeeeeeee-0001' })).rejects.toMatchObject({
      code: 'conflict',
      field: 'uuid',
    });
    expect(await h.call('clusterDelete', { UUID: 'eeeeeeee-0001' })).toEqual({
      uuid: 'eeeeeeee-0001',
    });
    const purged = (await h.call('deployPurge', { uuid: 'eeeeeeee-0001' })) as DeployPurgeResult;
    expect(purged).toEqual({ purged: 2, deploy_ids: ['old-1', 'old-2'] });
    expect(h.ctx.db.prepare('SELECT count(*) AS n FROM deploy_logs').get()).toEqual({ n: 0 });
    await expect(h.call('deployPurge', { uuid: 'eeeeeeee-0001' })).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(h.call('clusterDelete', {})).rejects.toMatchObject({
      code: 'invalid_field',
      field: 'UUID',
      message: 'UUID: is required',
      messageCn: 'UUID：为必填项',
    });
  });

  it('names the field as the delete request spelled it', async () => {
    await expect(h.call('clusterDelete', { UUID: 'eeeeeeee-0404' })).rejects.toMatchObject({
      code: 'not_found',
      field: 'UUID',
      message: 'cluster eeeeeeee-0404 was not found',
    });
    await expect(h.call('clusterDelete', { uuid: 'eeeeeeee-0404' })).rejects.toMatchObject({
      code: 'not_found',
      field: 'uuid',
    });
    await expect(h.call('clusterDelete', { UUID: 'not a uuid' })).rejects.toMatchObject({
      code: 'invalid_field',
      field: 'UUID',
      message: 'UUID: is not a UUID (got not a uuid)',
      messageCn: 'UUID：不是有效的 UUID（实际为 not a uuid）',
    });
    insertCluster(h.ctx, { uuid: 'eeeeeeee-0002', name: 'busy-delete', state: 'deploying' });
    insertDeploy(h.ctx, 'busy-1', 'eeeeeeee-0002', 'running');
    await expect(h.call('clusterDelete', { UUID: 'eeeeeeee-0002' })).rejects.toMatchObject({
      code: 'conflict',
      field: 'UUID',
      message:
        'UUID: cluster eeeeeeee-0002 has a deploy still running (busy-1); wait for it to end',
      messageCn: 'UUID：集群 eeeeeeee-0002 仍有部署在运行（busy-1），请等待其结束',
    });
  });
});

describe('tenants', () => {
  it('creates, renames and lists tenants, each with its cluster count', async () => {
    const site = (await h.call('tenantCreate', { name: ' Site A ' })) as TenantView;
    expect(site).toMatchObject({ name: 'Site A', cluster_count: 0 });
    await expect(h.call('tenantCreate', { name: 'site a' })).rejects.toMatchObject({
      code: 'conflict',
      field: 'name',
      message: 'name: a tenant named "site a" already exists',
    });
    await expect(h.call('tenantCreate', { name: 'a\u0000b' })).rejects.toMatchObject({
      code: 'invalid_field',
      field: 'name',
      message:
        'name: must not contain control characters (such as NUL, tab or a line break) (got "a\\u0000b")',
    });
    const port = await closedPort();
    await add({
      Name: 'at-site',
      kube_config_data: tokenKubeconfig(port),
      save_unreachable: true,
      tenant_uuid: site.uuid,
    });
    const renamed = (await h.call('tenantRename', {
      uuid: site.uuid,
      name: 'Site A (north)',
    })) as TenantView;
    expect(renamed).toMatchObject({ uuid: site.uuid, name: 'Site A (north)', cluster_count: 1 });
    const all = (await h.call('tenantList', {})) as TenantListResult;
    expect(all.list.map((t) => t.name)).toEqual(['default', 'Site A (north)']);
    const listed = (await h.call('clusterList', { tenant_uuid: site.uuid })) as ClusterListResult;
    expect(listed.list.map((c) => [c.name, c.tenant_name])).toEqual([
      ['at-site', 'Site A (north)'],
    ]);
    await expect(
      h.call('tenantRename', { uuid: '99999999-0000', name: 'x' }),
    ).rejects.toMatchObject({ code: 'not_found', field: 'uuid' });
    await expect(
      add({
        Name: 'nowhere',
        kube_config_data: tokenKubeconfig(port),
        tenant_uuid: '99999999-0000',
      }),
    ).rejects.toMatchObject({ code: 'not_found', field: 'tenant_uuid' });
  });
});

describe('tenant names', () => {
  it('are unique regardless of case beyond ASCII and of compatibility forms', async () => {
    const first = (await h.call('tenantCreate', { name: 'École Nord' })) as TenantView;
    expect(first.name).toBe('École Nord');
    for (const name of ['ÉCOLE NORD', 'École Ｎｏｒｄ']) {
      await expect(h.call('tenantCreate', { name })).rejects.toMatchObject({
        code: 'conflict',
        field: 'name',
        message: `name: a tenant named "${name}" already exists`,
        messageCn: `name：已存在名为 “${name}” 的租户`,
      });
    }
    const renamed = (await h.call('tenantRename', {
      uuid: first.uuid,
      name: 'école nord',
    })) as TenantView;
    expect(renamed.name).toBe('école nord');
  });
});
