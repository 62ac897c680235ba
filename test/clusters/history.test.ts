import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterListResult, ClusterGetResult } from '../../main/contract/results.js';
import {
  createHarness,
  insertCluster,
  insertDeploy,
  insertTenant,
  type Harness,
} from './harness.js';
import { adminKubeconfig } from '../kubeconfig/build.js';
import { b64, createTestPki, type TestPki } from '../kubeconfig/pki.js';

const SITE_B = '11111111-2222-4333-8444-555555555555';
let h: Harness;
let pki: TestPki;
let clientKey: string;

async function list(input: Record<string, unknown>): Promise<ClusterListResult> {
  return (await h.call('clusterList', input)) as ClusterListResult;
}
const names = (r: ClusterListResult) => r.list.map((c) => c.name);

beforeAll(() => {
  h = createHarness();
  pki = createTestPki();
  const client = pki.client('kubernetes-admin', 'system:masters');
  clientKey = client.key;
  insertTenant(h.ctx, SITE_B, 'site B');
  const kubeconfig = adminKubeconfig('https://198.18.9.20:6443', pki.ca.cert, client);
  insertCluster(h.ctx, {
    uuid: 'aaaaaaaa-0001',
    name: 'beta',
    version: 'v1.10.3',
    created: 300,
    state: 'running',
    kubeconfig,
    nodes: [
      { ip: '198.18.9.21', name: 'beta-m1', role: 'master' },
      { ip: '198.18.9.22', name: 'beta-w1', role: 'worker' },
    ],
  });
  insertCluster(h.ctx, {
    uuid: 'aaaaaaaa-0002',
    name: 'Alpha',
    version: '{"major":"1","minor":"9","gitVersion":"v1.9.11"}',
    created: 200,
    state: 'failed',
    source: 'imported',
  });
  insertCluster(h.ctx, {
    uuid: 'aaaaaaaa-0003',
    name: 'gamma',
    version: 'v1.28.2',
    created: 100,
    state: 'deploying',
  });
  insertCluster(h.ctx, {
    uuid: 'aaaaaaaa-0004',
    name: 'delta',
    version: null,
    created: 400,
    state: 'unreachable',
  });
  insertCluster(h.ctx, { uuid: 'bbbbbbbb-0001', name: 'other-site', tenant: SITE_B });
});

afterAll(() => {
  h.close();
  pki.cleanup();
});

describe('cluster list', () => {
  it('sorts by name both ways, ignoring case, by default ascending', async () => {
    expect(names(await list({}))).toEqual(['Alpha', 'beta', 'delta', 'gamma']);
    expect(names(await list({ sort_by: 'TopKESortByName', sort_desc: true }))).toEqual([
      'gamma',
      'delta',
      'beta',
      'Alpha',
    ]);
  });

  it('sorts by create time, state and version (by number, unknown first)', async () => {
    expect(names(await list({ sort_by: 'TopKESortByCreateTime' }))).toEqual([
      'gamma',
      'Alpha',
      'beta',
      'delta',
    ]);
    expect(names(await list({ sort_by: 'TopKESortByCreateTime', sort_desc: true }))).toEqual([
      'delta',
      'beta',
      'Alpha',
      'gamma',
    ]);
    expect(names(await list({ sort_by: 'TopKESortByState' }))).toEqual([
      'gamma',
      'Alpha',
      'beta',
      'delta',
    ]);
    expect(names(await list({ sort_by: 'TopKESortByState', sort_desc: true }))).toEqual([
      'delta',
      'beta',
      'Alpha',
      'gamma',
    ]);
    expect(names(await list({ sort_by: 'TopKESortByVersion' }))).toEqual([
      'delta',
      'Alpha',
      'beta',
      'gamma',
    ]);
    expect(names(await list({ sort_by: 'TopKESortByVersion', sort_desc: true }))).toEqual([
      'gamma',
      'beta',
      'Alpha',
      'delta',
    ]);
  });

  it('refuses an unknown sort key, naming the field and the allowed keys', async () => {
    await expect(list({ sort_by: 'TopKESortBySize' })).rejects.toMatchObject({
      code: 'invalid_field',
      field: 'sort_by',
      message:
        'sort_by: must be one of TopKESortByName, TopKESortByCreateTime, TopKESortByState, TopKESortByVersion (or empty) (got TopKESortBySize)',
    });
  });

  it('pages with offset and limit and reports the full count', async () => {
    const page = await list({ sort_by: 'TopKESortByName', offset: 1, limit: 2 });
    expect(page.total_count).toBe(4);
    expect(names(page)).toEqual(['beta', 'delta']);
    expect(names(await list({ offset: '1', limit: '2' }))).toEqual(['beta', 'delta']);
    expect(names(await list({ offset: 4, limit: 2 }))).toEqual([]);
  });

  it('filters by name, state, version, source and node address', async () => {
    expect(names(await list({ filter: 'ALP' }))).toEqual(['Alpha']);
    expect(names(await list({ filter: 'unreach' }))).toEqual(['delta']);
    expect(names(await list({ filter: 'v1.28' }))).toEqual(['gamma']);
    expect(names(await list({ filter: 'imported' }))).toEqual(['Alpha']);
    const byIp = await list({ filter: '198.18.9.22' });
    expect(names(byIp)).toEqual(['beta']);
    expect(byIp.total_count).toBe(1);
  });

  it('filters by description regardless of case, beyond ASCII too', async () => {
    const tenant = '11111111-2222-4333-8444-5555555500d5';
    insertTenant(h.ctx, tenant, 'site D');
    insertCluster(h.ctx, { uuid: 'dddddddd-0001', name: 'north', tenant, desc: 'Ürümqi Süd DC' });
    insertCluster(h.ctx, { uuid: 'dddddddd-0002', name: 'south', tenant, desc: 'Lhasa' });
    for (const filter of ['Ürümqi', 'ÜRÜMQI', 'ürümqi süd', 'dc'])
      expect(names(await list({ tenant_uuid: tenant, filter }))).toEqual(['north']);
    expect(names(await list({ tenant_uuid: tenant, filter: 'Ø' }))).toEqual([]);
  });

  it('lists per tenant, with the tenant name; an unknown tenant is an error', async () => {
    const b = await list({ tenant_uuid: SITE_B });
    expect(b.list.map((c) => [c.name, c.tenant_uuid, c.tenant_name])).toEqual([
      ['other-site', SITE_B, 'site B'],
    ]);
    expect((await list({ tenant_uuid: '' })).list[0]?.tenant_name).toBe('default');
    await expect(
      list({ tenant_uuid: '99999999-0000-4000-8000-000000000000' }),
    ).rejects.toMatchObject({ code: 'not_found', field: 'tenant_uuid' });
    await expect(list({ tenant_uuid: 'not-a-uuid' })).rejects.toMatchObject({
      code: 'invalid_field',
      field: 'tenant_uuid',
      message: 'tenant_uuid: is not a UUID (got not-a-uuid)',
    });
  });

  it('has the spec shape, with nodes, source and version, and no secret', async () => {
    const beta = (await list({ filter: 'beta' })).list[0]!;
    expect(beta).toMatchObject({
      uuid: 'aaaaaaaa-0001',
      name: 'beta',
      state: 'running',
      source: 'deployed',
      is_managed: true,
      create_time: 300,
      kube_config_data: '',
      node_count: 2,
      cluster_node_scale: 'medium',
      PodCidr: '192.168.0.0/16',
      ServicePodCidr: '10.96.0.0/12',
      kube_version: { major: '1', minor: '10', gitVersion: 'v1.10.3' },
    });
    expect(beta.nodes).toEqual([
      { ip: '198.18.9.21', name: 'beta-m1', role: 'master', state: 'ready' },
      { ip: '198.18.9.22', name: 'beta-w1', role: 'worker', state: 'ready' },
    ]);
    expect(beta.config.Host).toBe('https://198.18.9.20:6443');
    expect(beta.config.TlsClientConfig.CAData).toBe(b64(pki.ca.cert));
    expect(Buffer.from(beta.config.TlsClientConfig.CertData, 'base64').toString()).toContain(
      'BEGIN CERTIFICATE',
    );
    expect(beta.config.TlsClientConfig.KeyData).toBe('');
    expect(JSON.stringify(beta)).not.toContain(b64(clientKey).slice(0, 40));
  });
});

describe('cluster get', () => {
  it('answers one cluster in the list shape; without a kubeconfig the address comes from the row', async () => {
    const got = (await h.call('clusterGet', { uuid: 'aaaaaaaa-0003' })) as ClusterGetResult;
    expect(got.total_count).toBe(1);
    expect(got.list[0]).toMatchObject({ name: 'gamma', state: 'deploying', node_count: 0 });
    expect(got.list[0]!.config.Host).toBe('https://198.18.9.10:6443');
  });

  it('sees a kubeconfig rewritten by a deploy', async () => {
    const client = pki.client('kubernetes-admin', 'system:masters');
    const fresh = adminKubeconfig('https://198.18.9.99:6443', pki.ca.cert, client);
    h.ctx.db
      .prepare('UPDATE clusters SET kubeconfig_enc = ? WHERE uuid = ?')
      .run(h.ctx.secrets.seal(fresh), 'aaaaaaaa-0001');
    const got = (await h.call('clusterGet', { uuid: 'aaaaaaaa-0001' })) as ClusterGetResult;
    expect(got.list[0]!.config.Host).toBe('https://198.18.9.99:6443');
  });

  it('refuses an unknown uuid', async () => {
    await expect(h.call('clusterGet', { uuid: 'ffffffff-0000' })).rejects.toMatchObject({
      code: 'not_found',
      field: 'uuid',
    });
  });

  it('checks tenant_uuid as list does: malformed, unknown, or not the cluster tenant', async () => {
    const inB = (await h.call('clusterGet', {
      tenant_uuid: SITE_B,
      uuid: 'bbbbbbbb-0001',
    })) as ClusterGetResult;
    expect(inB.list.map((c) => [c.name, c.tenant_name])).toEqual([['other-site', 'site B']]);
    await expect(
      h.call('clusterGet', { tenant_uuid: 'not-a-uuid', uuid: 'bbbbbbbb-0001' }),
    ).rejects.toMatchObject({
      code: 'invalid_field',
      field: 'tenant_uuid',
      message: 'tenant_uuid: is not a UUID (got not-a-uuid)',
      messageCn: 'tenant_uuid：不是有效的 UUID（实际为 not-a-uuid）',
    });
    await expect(
      h.call('clusterGet', {
        tenant_uuid: '99999999-0000-4000-8000-000000000000',
        uuid: 'bbbbbbbb-0001',
      }),
    ).rejects.toMatchObject({
      code: 'not_found',
      field: 'tenant_uuid',
      message: 'tenant 99999999-0000-4000-8000-000000000000 was not found',
      messageCn: '未找到租户 99999999-0000-4000-8000-000000000000',
    });
    await expect(
      h.call('clusterGet', { tenant_uuid: SITE_B, uuid: 'aaaaaaaa-0001' }),
    ).rejects.toMatchObject({
      code: 'not_found',
      field: 'uuid',
      message: `cluster aaaaaaaa-0001 was not found in tenant ${SITE_B}`,
      messageCn: `租户 ${SITE_B} 中未找到集群 aaaaaaaa-0001`,
    });
    const anyTenant = (await h.call('clusterGet', {
      tenant_uuid: '',
      uuid: 'bbbbbbbb-0001',
    })) as ClusterGetResult;
    expect(anyTenant.list[0]!.name).toBe('other-site');
  });
});

describe('cluster delete', () => {
  it('removes from management and keeps the deploy records', async () => {
    insertCluster(h.ctx, {
      uuid: 'cccccccc-0001',
      name: 'to-remove',
      nodes: [{ ip: '198.18.9.30', name: 'r1', role: 'master' }],
    });
    insertDeploy(h.ctx, 'd1', 'cccccccc-0001', 'success');
    expect(await h.call('clusterDelete', { uuid: 'cccccccc-0001' })).toEqual({
      uuid: 'cccccccc-0001',
    });
    await expect(h.call('clusterGet', { uuid: 'cccccccc-0001' })).rejects.toMatchObject({
      code: 'not_found',
    });
    expect(
      h.ctx.db
        .prepare(`SELECT count(*) AS n FROM nodes WHERE cluster_uuid = 'cccccccc-0001'`)
        .get(),
    ).toEqual({ n: 0 });
    expect(
      h.ctx.db.prepare(`SELECT id FROM deploys WHERE cluster_uuid = 'cccccccc-0001'`).all(),
    ).toEqual([{ id: 'd1' }]);
  });

  it('keeps a cluster whose deploy still runs', async () => {
    insertCluster(h.ctx, { uuid: 'cccccccc-0002', name: 'busy', state: 'deploying' });
    insertDeploy(h.ctx, 'd2', 'cccccccc-0002', 'running');
    await expect(h.call('clusterDelete', { uuid: 'cccccccc-0002' })).rejects.toMatchObject({
      code: 'conflict',
      field: 'uuid',
    });
  });
});
