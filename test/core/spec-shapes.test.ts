// Golden shape tests: the spec's example bodies are read out of its markdown, and the product's
// real answers (its HTTP transport over the real services, a real SQLite data folder, real
// deploys and scans on lab hosts) must have the examples' keys at every level and their JSON
// types, with only the documented extensions (README, "Extensions to the spec's answers") added.
// Every request example, as written, must pass validation over HTTP, and is refused only for
// the documented reasons a fresh service has (what it names is not here, or not reachable).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS, type OperationName } from '../../main/contract/operations.js';
import {
  discardProduct,
  ROOT_PASSWORD,
  startDeployFixture,
  startProduct,
  waitForDeploy,
  type DeployFixture,
  type Product,
} from '../deploy/harness.js';
import { adminKubeconfig } from '../kubeconfig/build.js';
import { b64, createTestPki, type TestPki } from '../kubeconfig/pki.js';
import { closedPort, startApiServer, type StandInApiServer } from '../support/apiserver.js';
import { startHttpApi, type Answer, type HttpApi } from '../support/http-api.js';
import { shapeDiff } from '../support/shape-diff.js';
import {
  originalSpec,
  readSpecExamples,
  SPEC_COPY,
  type SpecExample,
} from '../support/spec-examples.js';

const SPEC = readSpecExamples();
const PREFIX = '/v1/topke/cluster';
const SSH = { user: 'root', password: ROOT_PASSWORD };

/** The operation of each of the spec's paths. */
const OPERATION_OF: Record<string, OperationName> = {
  deploy: 'deploy',
  'deploy/status/inspect': 'deployStatus',
  'host/scan': 'hostScan',
  'vip/test': 'vipTest',
  'deploy/node/create': 'nodeCreate',
  add: 'clusterAdd',
  delete: 'clusterDelete',
  get: 'clusterGet',
  list: 'clusterList',
  'registry/distribute': 'registryDistribute',
};

/** What the product adds to the spec's answers, as README lists it. */
const EXTENSIONS: Record<string, readonly string[]> = {
  deploy: [],
  'deploy/status/inspect': [
    'data.deploy_id',
    'data.steps',
    'data.host_key_changes',
    'data.err_info_cn',
    'data.DeployStage.Stages[].error_cn',
    'data.total_status[].step',
    'data.total_status[].step_cn',
  ],
  'host/scan': [
    'data.scan_uuid',
    'data.scanned',
    'data.addresses',
    'data.state',
    'data.unprobed',
    'data.retried',
    'data.warnings',
    'data.hosts_info[].alive',
    'data.hosts_info[].ssh',
    'data.hosts_info[].login',
    'data.hosts_info[].facts',
  ],
  'vip/test': [],
  // The spec shows no answer for these two: the envelope with data.Status, and the cluster's uuid.
  'deploy/node/create': ['data.uuid'],
  delete: ['data.uuid'],
  add: ['data.Infos[].context', 'data.Infos[].warnings'],
  get: [
    'data.list[].source',
    'data.list[].node_count',
    'data.list[].nodes',
    'data.list[].cert_expiry',
  ],
  list: [
    'data.list[].source',
    'data.list[].node_count',
    'data.list[].nodes',
    'data.list[].cert_expiry',
  ],
  'registry/distribute': ['data.results[].nodes'],
};

function spec(operation: string): SpecExample {
  const example = SPEC.get(operation);
  if (!example) throw new Error(`the spec has no ${operation}`);
  return example;
}

/** The spec's answer; where it shows none, the envelope every answer has, with data.Status. */
function expectedAnswer(operation: string): unknown {
  const shown = spec(operation).response;
  if (shown !== null) return shown;
  const envelope = spec('deploy').response as Answer;
  return { ...envelope, data: { Status: envelope.data!.Status } };
}

/** The request example, as an object to adapt to the lab (a deep copy). */
function requestOf(operation: string): Record<string, unknown> {
  return structuredClone(spec(operation).request) as Record<string, unknown>;
}

function expectSpecShape(operation: string, answer: Answer): void {
  expect(answer.scode, answer.message).toBe(0);
  expect(shapeDiff(expectedAnswer(operation), answer, EXTENSIONS[operation])).toEqual([]);
}

describe('the spec read from its markdown', () => {
  it('is the spec beside the checkout, when there is one', () => {
    const original = originalSpec();
    if (original !== null) expect(readFileSync(SPEC_COPY, 'utf8')).toBe(original);
  });

  it('has an example of each of its ten operations, with trailing commas as written', () => {
    expect([...SPEC.keys()].sort()).toEqual(Object.keys(OPERATION_OF).sort());
    expect(spec('vip/test').requestText).toMatch(/6443,\s*}$/);
    expect(spec('deploy/status/inspect').url).toContain('?uuid=f4a4f4f1-');
    expect(spec('deploy/status/inspect').request).toBeNull();
    for (const path of Object.keys(OPERATION_OF))
      expect(OPERATIONS[OPERATION_OF[path]!].path).toBe(`/${path}`);
  });

  it('finds what the comparison must catch', () => {
    const status = spec('deploy/status/inspect').response as { data: Record<string, unknown> };
    const answer = structuredClone(status) as { data: Record<string, unknown> };
    const cp = answer.data.ControlPlaneConfig as Record<string, unknown>;
    delete cp.MonitorPluginConfig;
    answer.data.RegistryConfig = null;
    answer.data.creat_time = 1630044537000;
    answer.data.total_status = [];
    answer.data.extra = 1;
    (answer.data.master_list as { Priority: unknown }[])[0]!.Priority = '0';
    expect(shapeDiff(status, answer)).toEqual([
      'data.extra: not in the spec, and not a documented extension',
      'data.RegistryConfig: the spec has object, the answer null',
      'data.ControlPlaneConfig.MonitorPluginConfig: missing',
      'data.master_list[].Priority: the spec has number, the answer string',
      'data.creat_time: 1630044537000 is not Unix seconds',
      "data.total_status: an empty list, so nothing to compare with the spec's",
    ]);
    expect(shapeDiff(status, status, [])).toEqual([]);
  });
});

/** How a fresh service refuses a request example for what it names, not for its shape. */
const REFUSALS: Record<string, { code: string; field: string; why: string }> = {
  deploy: {
    code: 'not_found',
    field: 'tenant_uuid',
    why: 'the tenant it names is not kept here (and then: it gives no SSH credentials)',
  },
  'deploy/status/inspect': { code: 'not_found', field: 'uuid', why: 'no such deploy here' },
  'vip/test': {
    code: 'invalid_field',
    field: 'port',
    why: 'the example uses 6443, which the spec says cannot be used',
  },
  'deploy/node/create': { code: 'not_found', field: 'uuid', why: 'no such cluster here' },
  add: {
    code: 'unreachable',
    field: 'clusters["kubernetes"].cluster.server',
    why: 'its API server 10.30.100.111 cannot be reached from the test namespace',
  },
  delete: { code: 'not_found', field: 'UUID', why: 'no such cluster here' },
  get: { code: 'not_found', field: 'tenant_uuid', why: 'no such tenant here' },
  list: { code: 'not_found', field: 'tenant_uuid', why: 'no such tenant here' },
  'registry/distribute': {
    code: 'not_found',
    field: 'registry.registry_uuid',
    why: 'the managed registry it names is not kept here',
  },
};

describe("the spec's request examples, as written, over HTTP", () => {
  let product: Product;
  let http: HttpApi;

  beforeAll(async () => {
    product = startProduct();
    http = await startHttpApi(product.services, product.ctx);
  });

  afterAll(async () => {
    await http?.close();
    if (product) await discardProduct(product);
  });

  it.each([...Object.keys(OPERATION_OF)])('%s: the shape is valid', (path) => {
    const example = spec(path);
    const url = new URL(example.url);
    const input = example.request ?? Object.fromEntries(url.searchParams);
    const parsed = OPERATIONS[OPERATION_OF[path]!].request.safeParse(input);
    if (path === 'vip/test') {
      expect(parsed.error?.issues.map((i) => i.path.join('.'))).toEqual(['port']);
      return;
    }
    expect(parsed.error?.issues ?? []).toEqual([]);
  });

  it("takes back the deploy status's ControlPlaneConfig in a deploy request", () => {
    const status = spec('deploy/status/inspect').response as Answer;
    const parsed = OPERATIONS.deploy.request.safeParse({
      ...requestOf('deploy'),
      ControlPlaneConfig: status.data!.ControlPlaneConfig,
    });
    expect(parsed.error?.issues ?? []).toEqual([]);
    expect(parsed.data?.ControlPlaneConfig).toEqual({
      KubeProxyConfig: { Mode: 'iptables' },
      HAConfig: null,
    });
  });

  it.each([...Object.keys(OPERATION_OF)])(
    '%s: answered, or refused for a documented reason',
    async (path) => {
      const example = spec(path);
      const url = new URL(example.url);
      expect(url.pathname).toBe(`${PREFIX}/${path}`);
      const { json } = await http.send(
        example.method,
        url.pathname + url.search,
        example.requestText ?? undefined,
      );
      const refusal = REFUSALS[path];
      if (!refusal) {
        // The scan's range is not reachable from the test namespace: answered, with no host.
        expect(json.scode, json.message).toBe(0);
        expect(json.data).toMatchObject({ hosts_info: [], total_count: 0, addresses: 191 });
        expect(shapeDiff(expectedAnswer(path), json, EXTENSIONS[path])).toEqual([
          "data.hosts_info: an empty list, so nothing to compare with the spec's",
        ]);
        return;
      }
      expect(json.error, refusal.why).toEqual({ code: refusal.code, field: refusal.field });
      expect(json.data).toBeNull();
      expect(json.message_cn).not.toBe('');
    },
  );
});

describe("the product's answers have the spec's shapes", () => {
  let fixture: DeployFixture | undefined;
  let product: Product;
  let http: HttpApi;
  let pki: TestPki;
  let apiServer: StandInApiServer;
  let tenant: string;
  let registry: string;
  /** Deployed from the spec's request example (with a managed registry), and without a registry. */
  let withRegistry: string;
  let plain: string;
  /** Imported: reachable, and saved unreachable. */
  let imported: string[];
  let deployAnswers: Answer[];

  const send = async (method: string, path: string, body?: object): Promise<Answer> =>
    (await http.send(method, `${PREFIX}/${path}`, body && JSON.stringify(body))).json;
  const statusOf = (uuid: string) => send('GET', `deploy/status/inspect?uuid=${uuid}`);
  const node = (ip: string) => ({ IP: ip, NodeName: `k8s-node-${ip.replaceAll('.', '-')}` });

  /** The spec's deploy example on lab hosts, in this run's tenant, from the test bundle, with the
   * managed registry of this run. */
  function managedDeploy(name: string, master: string, worker: string): object {
    return {
      ...requestOf('deploy'),
      tenant_uuid: tenant,
      name,
      master_list: [node(master)],
      node_list: [node(worker)],
      KubernetesVersion: fixture!.bundle.version,
      use_managed_registry_project: { registry_uuid: registry, project_name: 'newk8s' },
      ssh: SSH,
      bundle_path: fixture!.bundle.archive,
    };
  }

  /** The same without RegistryConfig and use_managed_registry_project, and without bundle_path,
   * as in the spec: the bundle is the one the first deploy unpacked into the data folder. */
  function plainDeploy(name: string, master: string, worker: string): object {
    const body: Record<string, unknown> = { ...managedDeploy(name, master, worker) };
    delete body.RegistryConfig;
    delete body.use_managed_registry_project;
    delete body.bundle_path;
    return body;
  }

  beforeAll(async () => {
    fixture = await startDeployFixture(70, [
      { octet: 11, rootPassword: ROOT_PASSWORD },
      { octet: 12, rootPassword: ROOT_PASSWORD },
      { octet: 21, rootPassword: ROOT_PASSWORD },
      { octet: 22, rootPassword: ROOT_PASSWORD },
      { octet: 31, rootPassword: ROOT_PASSWORD },
      // Answers ping, with no SSH server: a scanned host without facts.
      { octet: 13, service: 'none' },
    ]);
    product = fixture.product;
    http = await startHttpApi(product.services, product.ctx);
    pki = createTestPki();
    apiServer = await startApiServer({
      ...pki.server({ ips: ['127.0.0.1'], dns: ['kubernetes'] }),
      clientCa: pki.ca.cert,
    });
    const api = product.services.api;
    tenant = (await api.tenantCreate({ name: 'dev' })).uuid;
    registry = (
      await api.registryCreate({
        address: 'https://reg.lab:5443',
        project: 'newk8s',
        user: 'admin',
        password: 'registry-Secret-93',
        ca_cert: pki.ca.cert,
      })
    ).registry_uuid;
    const lab = fixture.lab;
    deployAnswers = [
      await send('POST', 'deploy', managedDeploy('newk8s1', lab.address(11), lab.address(21))),
      await send('POST', 'deploy', plainDeploy('plain', lab.address(12), lab.address(31))),
    ];
    for (const answer of deployAnswers) expect(answer.scode, answer.message).toBe(0);
    [withRegistry, plain] = deployAnswers.map((s) => s.data!.uuid as string) as [string, string];
    await Promise.all([withRegistry, plain].map((u) => waitForDeploy(product, u)));
  });

  afterAll(async () => {
    await http?.close();
    await apiServer?.close();
    pki?.cleanup();
    await fixture?.teardown();
  });

  it("deploy, from the spec's request with and without bundle_path", () => {
    for (const answer of deployAnswers) expectSpecShape('deploy', answer);
  });

  it('deploy/status/inspect: the registry used, or the empty forms, and the plugin blocks', async () => {
    const shown = (spec('deploy/status/inspect').response as Answer).data!;
    const PLUGINS = [
      'MonitorPluginConfig',
      'KubectlPluginConfig',
      'RegistryDistributePluginConfig',
      'StoragePluginConfig',
      'NamespaceControllerPluginConfig',
    ];
    const blocks = (cp: unknown) => PLUGINS.map((k) => [k, (cp as Record<string, unknown>)[k]]);
    const managed = await statusOf(withRegistry);
    expectSpecShape('deploy/status/inspect', managed);
    expect(managed.data).toMatchObject({
      RegistryConfig: {
        RegistryAddress: 'https://reg.lab:5443',
        Project: 'newk8s',
        User: 'admin',
        Password: '',
        TlsConfig: null,
      },
      use_managed_registry_project: { registry_uuid: registry, project_name: 'newk8s' },
      DeployStage: { State: 'success' },
    });
    // The plugins this product does not install: exactly the spec's empty blocks.
    expect(blocks(managed.data!.ControlPlaneConfig)).toEqual(blocks(shown.ControlPlaneConfig));

    const none = await statusOf(plain);
    expectSpecShape('deploy/status/inspect', none);
    expect(none.data).toMatchObject({
      RegistryConfig: { RegistryAddress: '', Project: '', User: '', Password: '', TlsConfig: null },
      use_managed_registry_project: { registry_uuid: '', project_name: '' },
      DeployStage: { State: 'success' },
    });
  });

  it('host/scan: hosts with facts and one without SSH', async () => {
    const lab = fixture!.lab;
    const answer = await send('GET', 'host/scan', {
      begin: lab.address(11),
      end: lab.address(13),
      ssh: SSH,
    });
    expectSpecShape('host/scan', answer);
    const hosts = answer.data!.hosts_info as {
      ip: string;
      host_info: { CpuInfo: { Cores: number } };
    }[];
    expect(hosts.map((h) => h.ip)).toEqual([11, 12, 13].map((o) => lab.address(o)));
    expect(hosts.map((h) => h.host_info.CpuInfo.Cores > 0)).toEqual([true, true, false]);
  });

  it('vip/test: a free VIP', async () => {
    const answer = await send('POST', 'vip/test', { vip: fixture!.lab.address(99), port: 8443 });
    expectSpecShape('vip/test', answer);
    expect(answer.data).toBeNull();
  });

  it('add: a reachable cluster, and one saved unreachable', async () => {
    const client = pki.client('kubernetes-admin', 'system:masters');
    const kubeconfig = (server: string) =>
      b64(`\uFEFF${adminKubeconfig(server, pki.ca.cert, client)}`);
    const reached = await send('POST', 'add', {
      ...requestOf('add'),
      kube_config_data: kubeconfig(apiServer.url),
      tenant_uuid: tenant,
    });
    expectSpecShape('add', reached);
    const far = await send('POST', 'add', {
      Name: 'far',
      kube_config_data: kubeconfig(`https://127.0.0.1:${await closedPort()}`),
      tenant_uuid: tenant,
      save_unreachable: true,
    });
    expectSpecShape('add', far);
    imported = [reached, far].map((a) => (a.data!.Infos as { UUID: string }[])[0]!.UUID);
  });

  it('list and get: deployed, imported and unreachable clusters', async () => {
    const list = await send('POST', 'list', { ...requestOf('list'), tenant_uuid: tenant });
    expectSpecShape('list', list);
    // The spec's request sorts by name, descending.
    expect((list.data!.list as { name: string }[]).map((c) => c.name)).toEqual([
      'plain',
      'newk8s1',
      'far',
      '2.5',
    ]);
    for (const uuid of [withRegistry, ...imported])
      expectSpecShape(
        'get',
        await send('POST', 'get', { ...requestOf('get'), tenant_uuid: tenant, uuid }),
      );
  });

  it('registry/distribute: a cluster that took the certificate and one that could not', async () => {
    const answer = await send('POST', 'registry/distribute', {
      ...requestOf('registry/distribute'),
      clusters: [withRegistry, imported[0]],
      registry: { registry_uuid: registry },
    });
    expectSpecShape('registry/distribute', answer);
    expect(answer.data).toMatchObject({ total: 2, success: 1, fail: 1 });
  });

  it('deploy/node/create, and the status of the node addition', async () => {
    const answer = await send('GET', 'deploy/node/create', {
      ...requestOf('deploy/node/create'),
      uuid: withRegistry,
      node_list: [node(fixture!.lab.address(22))],
      use_managed_registry_project: { registry_uuid: registry, project_name: 'newk8s' },
    });
    expectSpecShape('deploy/node/create', answer);
    expect(answer.data!.uuid).toBe(withRegistry);
    await waitForDeploy(product, withRegistry);
    const status = await statusOf(withRegistry);
    expectSpecShape('deploy/status/inspect', status);
    expect(status.data).toMatchObject({
      DeployStage: { State: 'success' },
      node_list: [node(fixture!.lab.address(22))],
      RegistryConfig: { RegistryAddress: 'https://reg.lab:5443', Project: 'newk8s' },
    });
  });

  it('delete', async () => {
    const answer = await send('POST', 'delete', { ...requestOf('delete'), UUID: imported[0] });
    expectSpecShape('delete', answer);
    expect(answer.data!.uuid).toBe(imported[0]);
  });
});
