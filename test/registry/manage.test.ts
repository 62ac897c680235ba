import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { DeployStore } from '../../main/deploy/store.js';
import { parseCaBundle } from '../../main/registry/ca-cert.js';
import { clusterCountsPlan } from '../../main/registry/store.js';
import { closedPort } from '../support/apiserver.js';
import { createTestPki, type TestPki } from '../kubeconfig/pki.js';
import { discardProduct, startProduct, type Product } from '../deploy/harness.js';
import { rejection } from '../support/errors.js';
import { CHINESE } from './harness.js';

const PASSWORD = 'harbor-Robot-Pass-8812';

function addCluster(
  product: Product,
  name: string,
  state: string,
  settings: object,
  kubeconfig?: string,
): string {
  const uuid = randomUUID();
  const db = product.ctx.db;
  const sealed = kubeconfig ? product.ctx.secrets.seal(kubeconfig) : null;
  db.prepare("INSERT OR IGNORE INTO tenants (uuid, name, created_at) VALUES ('t1', 't1', 1)").run();
  db.prepare(
    `INSERT INTO clusters (uuid, tenant_uuid, name, source, state, settings, kubeconfig_enc,
       created_at, updated_at) VALUES (?, 't1', ?, 'imported', ?, ?, ?, 1, 1)`,
  ).run(uuid, name, state, JSON.stringify(settings), sealed);
  return uuid;
}

/** A deploy or node create's record as the product writes it: the snapshot keeps the request's
 * registry (for node create, its own use_managed_registry_project over the cluster's). */
function addRecord(product: Product, cluster: string, kind: 'deploy' | 'node_create', reg: object) {
  const store = new DeployStore(product.ctx.db, randomUUID());
  const snapshot = { RegistryConfig: null, use_managed_registry_project: null, ...reg };
  store.create(cluster, kind, { ...snapshot, master_list: [], node_list: [] }, []);
}

/** A kubeconfig whose API server refuses every connection at once. */
async function unreachableKubeconfig(): Promise<string> {
  const port = await closedPort();
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c', cluster: { server: `https://127.0.0.1:${port}` } }],
    users: [{ name: 'u', user: { token: 'imported-Token-77' } }],
    contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
    'current-context': 'x',
  });
}

describe('managed registries', () => {
  let pki: TestPki;
  let product: Product;
  let api: Product['services']['api'];

  beforeAll(() => {
    pki = createTestPki();
    product = startProduct();
    api = product.services.api;
  });

  afterAll(async () => {
    if (product) await discardProduct(product);
    pki?.cleanup();
  });

  it('creates a registry with its CA, seals the password and never shows it', async () => {
    const view = await api.registryCreate({
      address: 'https://harbor.lab:8443',
      project: 'library',
      user: 'robot',
      password: PASSWORD,
      ca_cert: pki.ca.cert,
    });
    expect(view).toMatchObject({
      address: 'https://harbor.lab:8443',
      project: 'library',
      user: 'robot',
      has_password: true,
      ca_cert: pki.ca.cert,
      cluster_count: 0,
    });
    expect(view.ca?.subject).toBe('CN=ca');
    expect(view.ca?.fingerprint_sha256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    const row = product.ctx.db
      .prepare('SELECT password_enc FROM registries WHERE uuid = ?')
      .get(view.registry_uuid) as { password_enc: Buffer };
    expect(row.password_enc.toString('latin1')).not.toContain(PASSWORD);
    expect(product.ctx.secrets.open(row.password_enc)).toBe(PASSWORD);

    const list = await api.registryList({});
    expect(list.list.map((r) => r.registry_uuid)).toContain(view.registry_uuid);
    expect(JSON.stringify(list)).not.toContain(PASSWORD);
    expect(JSON.stringify(view)).not.toContain(PASSWORD);
  });

  it('refuses a CA that is not a certificate, naming the field in both languages', async () => {
    const cases: [string, RegExp][] = [
      ['just some text', /holds no PEM certificate/],
      [
        '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n',
        /certificate 1 is not a valid X\.509 certificate/,
      ],
      [pki.ca.key, /holds a "PRIVATE KEY" block: give the certificate only, never its private key/],
      [`${pki.ca.cert}${pki.ca.key}`, /never its private key/],
    ];
    for (const [ca_cert, message] of cases) {
      const err = await rejection(api.registryCreate({ address: 'reg.lab:5000', ca_cert }));
      expect(err.code).toBe('invalid_field');
      expect(err.field).toBe('ca_cert');
      expect(err.message).toMatch(/^ca_cert: /);
      expect(err.message).toMatch(message);
      expect(err.messageCn).toMatch(/^ca_cert：/);
      expect(err.messageCn).toMatch(CHINESE);
    }
    expect((await api.registryList({})).list.map((r) => r.address)).not.toContain('reg.lab:5000');
  });

  it('refuses an expired certificate, saying when it expired', () => {
    const year2100 = Date.parse('2100-01-01T00:00:00Z');
    expect(() => parseCaBundle(pki.ca.cert, 'ca_cert', year2100)).toThrow(
      /ca_cert: certificate 1 \(CN=ca\) expired on /,
    );
  });

  it('keeps a chain of certificates, each re-encoded as standard PEM', async () => {
    const leaf = pki.server({ dns: ['chain.lab'] }).cert;
    const squeezed = `${leaf.replace(/\n(?!-----END)/g, '\r\n')}\n\n${pki.ca.cert}`;
    const view = await api.registryCreate({ address: 'chain.lab', ca_cert: squeezed });
    expect(view.ca_cert).toBe(`${leaf}${pki.ca.cert}`);
    expect(view.has_password).toBe(false);
    expect(view.ca?.issuer).toBe('CN=ca');
  });

  it('refuses a bad address, a missing address and the same registry twice', async () => {
    const bad = await rejection(api.registryCreate({ address: 'https://reg lab/x y' }));
    expect(bad).toMatchObject({ code: 'invalid_field', field: 'address' });
    expect(bad.messageCn).toMatch(CHINESE);
    const missing = await rejection(api.registryCreate({} as { address: string }));
    expect(missing).toMatchObject({ code: 'invalid_field', field: 'address' });
    expect(missing.message).toBe('address: is required');
    const twin = await rejection(
      api.registryCreate({ address: 'harbor.lab:8443', project: 'library' }),
    );
    expect(twin).toMatchObject({ code: 'conflict', field: 'address' });
    expect(twin.message).toContain('harbor.lab:8443');
  });

  it('refuses a port outside 1..65535 and a full-width digit, naming the address', async () => {
    const before = await api.registryList({});
    const cases: [string, string][] = [
      ['https://r6.lab:0', 'port "0" is not a port number from 1 to 65535'],
      ['https://r6.lab:65536', 'port "65536" is not a port number from 1 to 65535'],
      ['https://r3.lab:99999', 'port "99999" is not a port number from 1 to 65535'],
      [
        'r３.lab',
        '"３" is a full-width character; type the address with the input method in half-width (ASCII) mode',
      ],
    ];
    for (const [address, why] of cases) {
      const err = await rejection(api.registryCreate({ address }));
      expect(err).toMatchObject({ code: 'invalid_field', field: 'address' });
      expect(err.message).toBe(
        `address: must be a registry address such as https://10.0.0.5 or reg.local:5000: ${why}`,
      );
      expect(err.messageCn).toMatch(/^address：应为镜像仓库地址/);
      expect(err.messageCn).toMatch(address.includes('３') ? /“３” 是全角字符/ : /端口 “\d+” 无效/);
    }
    const { registry_uuid } = await api.registryCreate({ address: 'https://r6.lab:65535' });
    const err = await rejection(api.registryUpdate({ registry_uuid, address: 'r6.lab:0' }));
    expect(err.field).toBe('address');
    const after = await api.registryList({});
    expect(after.total_count).toBe(before.total_count + 1);
    const kept = after.list.find((r) => r.registry_uuid === registry_uuid);
    expect(kept?.address).toBe('https://r6.lab:65535');
  });

  it('refuses a project that is not a registry project name, keeping what was saved', async () => {
    const { registry_uuid } = await api.registryCreate({
      address: 'proj.lab',
      project: 'team/app-1',
    });
    const cases: [string, string][] = [
      ['a b', 'a space is not allowed'],
      ['Library', '"L" is not allowed'],
      ['a..b', ''],
      ['/lead', ''],
    ];
    for (const [project, why] of cases) {
      for (const call of [
        () => api.registryCreate({ address: 'proj2.lab', project }),
        () => api.registryUpdate({ registry_uuid, project }),
      ]) {
        const err = await rejection(call());
        expect(err).toMatchObject({ code: 'invalid_field', field: 'project' });
        expect(err.message.startsWith(`project: "${project}" is not a registry project name`)).toBe(
          true,
        );
        if (why) expect(err.message).toContain(why);
        expect(err.messageCn).toMatch(/^project：“.*” 不是有效的镜像仓库项目名/);
      }
    }
    const list = (await api.registryList({})).list;
    expect(list.find((r) => r.registry_uuid === registry_uuid)?.project).toBe('team/app-1');
    expect(list.map((r) => r.address)).not.toContain('https://proj2.lab');
  });

  it('stores the host in lower case without its default port, and finds twins so', async () => {
    const upper = await api.registryCreate({ address: 'https://REG.lab:5443/', project: 'p' });
    expect(upper.address).toBe('https://reg.lab:5443');
    const bare = await api.registryCreate({ address: 'https://reg.lab:443', project: 'p' });
    expect(bare.address).toBe('https://reg.lab');
    expect((await api.registryCreate({ address: 'HTTP://Plain.lab:80' })).address).toBe(
      'http://plain.lab',
    );
    for (const [address, host] of [
      ['reg.lab:5443', 'reg.lab:5443'],
      ['https://REG.LAB:05443', 'reg.lab:5443'],
      ['https://reg.lab', 'reg.lab'],
      ['Reg.Lab:443', 'reg.lab'],
    ]) {
      const twin = await rejection(api.registryCreate({ address: address!, project: 'p' }));
      expect(twin).toMatchObject({ code: 'conflict', field: 'address' });
      expect(twin.message).toBe(
        `address: ${host} with project "p" is already managed as ${host === 'reg.lab' ? bare.registry_uuid : upper.registry_uuid}`,
      );
    }
    const moved = await rejection(
      api.registryUpdate({ registry_uuid: bare.registry_uuid, address: 'REG.lab:5443' }),
    );
    expect(moved.code).toBe('conflict');
    const kept = (await api.registryList({})).list.find(
      (r) => r.registry_uuid === bare.registry_uuid,
    );
    expect(kept?.address).toBe('https://reg.lab');
  });

  it('updates only the fields given; an empty password or CA removes it', async () => {
    const created = await api.registryCreate({
      address: 'upd.lab',
      user: 'a',
      password: PASSWORD,
      ca_cert: pki.ca.cert,
    });
    const id = created.registry_uuid;
    const renamed = await api.registryUpdate({ registry_uuid: id, user: 'b' });
    expect(renamed).toMatchObject({ user: 'b', has_password: true, ca_cert: pki.ca.cert });
    const row = () =>
      product.ctx.db.prepare('SELECT password_enc FROM registries WHERE uuid = ?').get(id) as {
        password_enc: Buffer | null;
      };
    expect(product.ctx.secrets.open(row().password_enc!)).toBe(PASSWORD);
    const cleared = await api.registryUpdate({ registry_uuid: id, password: '', ca_cert: '' });
    expect(cleared).toMatchObject({ has_password: false, ca_cert: '', ca: null, user: 'b' });
    expect(row().password_enc).toBeNull();
    const bad = await rejection(api.registryUpdate({ registry_uuid: id, ca_cert: 'nope' }));
    expect(bad.field).toBe('ca_cert');
    const unknown = await rejection(api.registryUpdate({ registry_uuid: randomUUID(), user: 'x' }));
    expect(unknown).toMatchObject({ code: 'not_found', field: 'registry_uuid' });
    expect(unknown.messageCn).toMatch(CHINESE);
  });

  it('deletes a registry; one that clusters name needs force', async () => {
    const { registry_uuid } = await api.registryCreate({ address: 'del.lab' });
    addCluster(product, 'uses-del', 'running', {
      use_managed_registry_project: { registry_uuid, project_name: '' },
    });
    const listed = (await api.registryList({})).list.find((r) => r.registry_uuid === registry_uuid);
    expect(listed?.cluster_count).toBe(1);
    const refused = await rejection(api.registryDelete({ registry_uuid }));
    expect(refused).toMatchObject({ code: 'conflict', field: 'registry_uuid' });
    expect(refused.message).toContain('uses-del');
    expect(refused.messageCn).toContain('uses-del');
    expect(await api.registryDelete({ registry_uuid, force: true })).toEqual({ registry_uuid });
    const after = await api.registryList({});
    expect(after.list.map((r) => r.registry_uuid)).not.toContain(registry_uuid);
  });

  it('counts a cluster whose node create used the registry, though its deploy did not', async () => {
    const { registry_uuid } = await api.registryCreate({ address: 'later.lab' });
    const managed = { use_managed_registry_project: { registry_uuid, project_name: 'apps' } };
    const plain = addCluster(product, 'plain-deploy', 'running', {});
    addRecord(product, plain, 'deploy', {});
    const count = async () =>
      (await api.registryList({})).list.find((r) => r.registry_uuid === registry_uuid)
        ?.cluster_count;
    expect(await count()).toBe(0);
    addRecord(product, plain, 'node_create', managed);
    addRecord(product, plain, 'node_create', managed);
    // RegistryConfig's address wins over a managed registry also named: nodes pulled from it.
    const other = addCluster(product, 'own-registry', 'running', {});
    addRecord(product, other, 'deploy', {
      ...managed,
      RegistryConfig: { RegistryAddress: 'https://own.lab', Project: '', User: '' },
    });
    // A cluster removed from management keeps its records, and no longer counts.
    addRecord(product, randomUUID(), 'node_create', managed);
    expect(await count()).toBe(1);
    const refused = await rejection(api.registryDelete({ registry_uuid }));
    expect(refused).toMatchObject({ code: 'conflict', field: 'registry_uuid' });
    expect(refused.message).toContain('plain-deploy');
    expect(refused.message).not.toContain('own-registry');
    expect((await api.registryList({})).list.map((r) => r.registry_uuid)).toContain(registry_uuid);
  });

  it('counts from the indexes of registry use, not by reading every record', () => {
    const plan = clusterCountsPlan(product.ctx.db);
    expect(plan).toContain('SCAN deploys USING COVERING INDEX deploys_by_registry');
    expect(plan).toContain('SCAN clusters USING COVERING INDEX clusters_by_registry');
    expect(plan.filter((step) => /^SCAN (deploys|clusters)\b(?! USING)/.test(step))).toEqual([]);
  });

  describe('registry distribute, before any host is touched', () => {
    it('names an unknown registry', async () => {
      const id = randomUUID();
      const err = await rejection(
        api.registryDistribute({ clusters: [randomUUID()], registry: { registry_uuid: id } }),
      );
      expect(err).toMatchObject({ code: 'not_found', field: 'registry.registry_uuid' });
      expect(err.message).toBe(`managed registry ${id} was not found`);
      expect(err.messageCn).toBe(`未找到纳管镜像仓库 ${id}`);
    });

    it('refuses a registry without a CA certificate', async () => {
      const { registry_uuid } = await api.registryCreate({ address: 'noca.lab' });
      const err = await rejection(
        api.registryDistribute({ clusters: [randomUUID()], registry: { registry_uuid } }),
      );
      expect(err).toMatchObject({ code: 'invalid_field', field: 'registry.registry_uuid' });
      expect(err.message).toContain('has no CA certificate');
      expect(err.messageCn).toMatch(CHINESE);
    });

    it('answers per cluster: unknown, imported and unreachable, being deployed', async () => {
      const { registry_uuid } = await api.registryCreate({
        address: 'dist.lab:5000',
        ca_cert: pki.ca.cert,
      });
      const unknown = randomUUID();
      const imported = addCluster(
        product,
        'imported-one',
        'running',
        {},
        await unreachableKubeconfig(),
      );
      const busy = addCluster(product, 'busy-one', 'deploying', {});
      const answer = await api.registryDistribute({
        clusters: [unknown, imported, busy, unknown],
        registry: { registry_uuid },
      });
      expect(answer).toMatchObject({ total: 3, success: 0, fail: 3 });
      expect(answer.results.map((r) => r.data)).toEqual([unknown, imported, busy]);
      const [u, i, b] = answer.results;
      expect(u).toMatchObject({ scode: 404, code: 404, desc: 'not_found' });
      expect(u!.message).toBe(`cluster ${unknown} was not found`);
      expect(u!.message_cn).toBe(`未找到集群 ${unknown}`);
      expect(u!.messageCn).toBe(u!.message_cn);
      expect(i).toMatchObject({ desc: 'unreachable', scode: 504 });
      expect(i!.message).toMatch(
        /^clusters: the nodes of imported cluster imported-one could not be listed from its API server: .*ECONNREFUSED/,
      );
      expect(i!.message_cn).toMatch(
        /^clusters：无法从导入集群 imported-one 的 API Server 获取节点列表/,
      );
      expect(i!.message).not.toContain('imported-Token-77');
      expect(b!.message).toContain('is being deployed');
      expect(b!.scode).toBe(400);
    });
  });
});
