import { describe, expect, it } from 'vitest';
import { TopkeError } from '../../main/contract/errors.js';
import { DeployRequest, type DeployRequestInput } from '../../main/contract/schemas.js';
import { validate } from '../../main/contract/validate.js';
import { saveDeployingCluster, setClusterState } from '../../main/deploy/cluster-store.js';
import {
  checkDeployNetworks,
  checkNewNodeNetworks,
  reservedAddressOf,
} from '../../main/deploy/plan-checks.js';
import { prepareDeploy } from '../../main/deploy/prepare.js';
import type { TestBundle } from '../lab/bundle.js';
import type { Lab } from '../lab/lab.js';
import { buildHaBundle, deployPlan, ROOT_PASSWORD, type Product } from './harness.js';
import { deployFixtureHooks } from './fixture-hooks.js';
import { rejection, thrown } from '../support/errors.js';

/** The spec's deploy example (its addresses, CIDRs left empty for the defaults), and the VIP of
 * its vip/test example. */
const SPEC_PLAN = {
  name: 'newk8s1',
  master_list: [{ IP: '10.30.100.68', NodeName: 'k8s-node-10-30-100-68' }],
  node_list: [{ IP: '10.30.100.78', NodeName: 'k8s-node-10-30-100-78' }],
  KubernetesVersion: 'v1.18.0',
  ServicePodCidr: '',
  PodCidr: '',
  ControlPlaneConfig: { KubeProxyConfig: { Mode: 'iptables' } },
  bundle_path: '/media/usb/bundle.tar.gz',
} satisfies DeployRequestInput;
const SPEC_VIP = { vip: '10.30.100.15', port: 8443 };

/** The deploy's network checks on a request as the API validates it (defaults filled in). */
const checkPlan = (extra: Partial<DeployRequestInput>) => () =>
  checkDeployNetworks(validate(DeployRequest, { ...SPEC_PLAN, ...extra }));

const asSeen = (err: TopkeError) => ({
  code: err.code,
  field: err.field,
  message: err.message,
  messageCn: err.messageCn,
});

describe('network checks of a deploy plan', () => {
  it('passes the spec example with the default CIDRs, with and without its VIP', () => {
    const req = validate(DeployRequest, SPEC_PLAN);
    expect([req.PodCidr, req.ServicePodCidr]).toEqual(['192.168.0.0/16', '10.96.0.0/12']);
    expect(checkPlan({})).not.toThrow();
    expect(checkPlan({ ControlPlaneConfig: { HAConfig: SPEC_VIP } })).not.toThrow();
    expect(checkPlan({ PodCidr: '10.244.0.0/16', ServicePodCidr: '10.96.0.0/12' })).not.toThrow();
    // Adjacent networks touch without overlapping.
    expect(checkPlan({ PodCidr: '10.112.0.0/12', ServicePodCidr: '10.96.0.0/12' })).not.toThrow();
  });

  it('refuses a pod CIDR that overlaps the default service CIDR, naming the one set', () => {
    expect(asSeen(thrown(checkPlan({ PodCidr: '10.96.0.0/16' })))).toEqual({
      code: 'invalid_field',
      field: 'PodCidr',
      message:
        'PodCidr: PodCidr 10.96.0.0/16 overlaps ServicePodCidr 10.96.0.0/12: pods and services need networks of their own',
      messageCn:
        'PodCidr：PodCidr 10.96.0.0/16 与 ServicePodCidr 10.96.0.0/12 重叠：容器组网段和服务网段不能有交集',
    });
  });

  it('refuses a service CIDR that holds the pod CIDR', () => {
    const err = thrown(checkPlan({ PodCidr: '172.20.0.0/16', ServicePodCidr: '172.16.0.0/12' }));
    expect(asSeen(err)).toEqual({
      code: 'invalid_field',
      field: 'ServicePodCidr',
      message:
        'ServicePodCidr: PodCidr 172.20.0.0/16 overlaps ServicePodCidr 172.16.0.0/12: pods and services need networks of their own',
      messageCn:
        'ServicePodCidr：PodCidr 172.20.0.0/16 与 ServicePodCidr 172.16.0.0/12 重叠：容器组网段和服务网段不能有交集',
    });
  });

  it('refuses a node or VIP address no host can have, in validation', () => {
    const cases: [Partial<DeployRequestInput>, string, string][] = [
      [{ master_list: [{ IP: '127.0.0.1' }] }, 'master_list[0].IP', 'loopback'],
      [{ node_list: [{ IP: '10.30.100.78' }, { IP: '0.0.0.0' }] }, 'node_list[1].IP', 'network'],
      [
        { ControlPlaneConfig: { HAConfig: { vip: '224.0.0.18', port: 8443 } } },
        'ControlPlaneConfig.HAConfig.vip',
        'multicast',
      ],
    ];
    for (const [extra, field, words] of cases) {
      const err = thrown(checkPlan(extra));
      expect({ code: err.code, field: err.field }).toEqual({ code: 'invalid_field', field });
      expect(err.message).toContain(words);
      expect(err.messageCn).toContain('不能作为主机地址');
    }
  });

  it('refuses a master inside the default pod CIDR, saying it is the default', () => {
    const err = thrown(checkPlan({ master_list: [{ IP: '192.168.1.10' }] }));
    expect(asSeen(err)).toEqual({
      code: 'invalid_field',
      field: 'master_list[0].IP',
      message:
        "master_list[0].IP: 192.168.1.10 is inside PodCidr 192.168.0.0/16 (the default when PodCidr is left empty): a node's address must be outside the cluster's pod and service networks",
      messageCn:
        'master_list[0].IP：192.168.1.10 位于 PodCidr 192.168.0.0/16 内（PodCidr 留空时的默认值）：节点地址必须在集群的容器组网段和服务网段之外',
    });
  });

  it('refuses a worker inside the service CIDR', () => {
    const err = thrown(
      checkPlan({
        ServicePodCidr: '10.30.100.72/29',
        node_list: [{ IP: '10.40.0.8' }, { IP: '10.30.100.78' }],
      }),
    );
    expect(asSeen(err)).toEqual({
      code: 'invalid_field',
      field: 'node_list[1].IP',
      message:
        "node_list[1].IP: 10.30.100.78 is inside ServicePodCidr 10.30.100.72/29: a node's address must be outside the cluster's pod and service networks",
      messageCn:
        'node_list[1].IP：10.30.100.78 位于 ServicePodCidr 10.30.100.72/29 内：节点地址必须在集群的容器组网段和服务网段之外',
    });
  });

  it("refuses a VIP that is a master's or a worker's address", () => {
    const masters = [{ IP: '10.30.100.67' }, { IP: '10.30.100.68' }];
    const onMaster = thrown(
      checkPlan({
        master_list: masters,
        ControlPlaneConfig: { HAConfig: { vip: '10.30.100.68', port: 8443 } },
      }),
    );
    expect(asSeen(onMaster)).toEqual({
      code: 'invalid_field',
      field: 'ControlPlaneConfig.HAConfig.vip',
      message:
        "ControlPlaneConfig.HAConfig.vip: 10.30.100.68 is also the address of master_list[1].IP: the VIP must be an unused address on the masters' network",
      messageCn:
        'ControlPlaneConfig.HAConfig.vip：10.30.100.68 同时是 master_list[1].IP 的地址：VIP 必须是管理节点网段内未被占用的地址',
    });
    const onWorker = thrown(
      checkPlan({ ControlPlaneConfig: { HAConfig: { vip: '10.30.100.78', port: 8443 } } }),
    );
    expect(onWorker.field).toBe('ControlPlaneConfig.HAConfig.vip');
    expect(onWorker.message).toContain('10.30.100.78 is also the address of node_list[0].IP');
  });

  it('refuses a VIP inside the pod or the service CIDR', () => {
    const inService = thrown(
      checkPlan({ ControlPlaneConfig: { HAConfig: { vip: '10.99.0.1', port: 8443 } } }),
    );
    expect(asSeen(inService)).toEqual({
      code: 'invalid_field',
      field: 'ControlPlaneConfig.HAConfig.vip',
      message:
        "ControlPlaneConfig.HAConfig.vip: 10.99.0.1 is inside ServicePodCidr 10.96.0.0/12 (the default when ServicePodCidr is left empty): the VIP must be outside the cluster's pod and service networks",
      messageCn:
        'ControlPlaneConfig.HAConfig.vip：10.99.0.1 位于 ServicePodCidr 10.96.0.0/12 内（ServicePodCidr 留空时的默认值）：VIP 必须在集群的容器组网段和服务网段之外',
    });
    const inPod = thrown(
      checkPlan({
        PodCidr: '10.31.0.0/16',
        ControlPlaneConfig: { HAConfig: { vip: '10.31.0.15', port: 8443 } },
      }),
    );
    expect(inPod.field).toBe('ControlPlaneConfig.HAConfig.vip');
    expect(inPod.message).toContain('10.31.0.15 is inside PodCidr 10.31.0.0/16: the VIP must');
  });
});

describe('network checks of the nodes a node create adds', () => {
  const cluster = {
    PodCidr: '10.244.0.0/16',
    ServicePodCidr: '10.96.0.0/12',
    ControlPlaneConfig: { HAConfig: SPEC_VIP },
  };

  it("passes nodes outside the cluster's networks", () => {
    expect(() => checkNewNodeNetworks(cluster, [{ IP: '10.30.100.79' }])).not.toThrow();
    const noHa = { ...cluster, ControlPlaneConfig: { HAConfig: null } };
    expect(() => checkNewNodeNetworks(noHa, [{ IP: '10.30.100.15' }])).not.toThrow();
  });

  it("refuses a node on the cluster's VIP", () => {
    const err = thrown(() =>
      checkNewNodeNetworks(cluster, [{ IP: '10.30.100.79' }, { IP: '10.30.100.15' }]),
    );
    expect(asSeen(err)).toEqual({
      code: 'invalid_field',
      field: 'node_list[1].IP',
      message:
        "node_list[1].IP: 10.30.100.15 is the cluster's VIP (ControlPlaneConfig.HAConfig.vip): a node needs an address of its own",
      messageCn:
        'node_list[1].IP：10.30.100.15 是集群的 VIP（ControlPlaneConfig.HAConfig.vip）：节点需要使用自己的地址',
    });
  });

  it("refuses a node inside the cluster's pod CIDR", () => {
    const err = thrown(() => checkNewNodeNetworks(cluster, [{ IP: '10.244.3.7' }]));
    expect(asSeen(err)).toEqual({
      code: 'invalid_field',
      field: 'node_list[0].IP',
      message:
        "node_list[0].IP: 10.244.3.7 is inside PodCidr 10.244.0.0/16: a node's address must be outside the cluster's pod and service networks",
      messageCn:
        'node_list[0].IP：10.244.3.7 位于 PodCidr 10.244.0.0/16 内：节点地址必须在集群的容器组网段和服务网段之外',
    });
  });
});

describe('the network and broadcast addresses of a VIP network', () => {
  it('names them, and finds none in a /31 or /32', () => {
    expect(reservedAddressOf('10.30.100.0', '10.30.100.68/24')).toBe('network');
    expect(reservedAddressOf('10.30.100.255', '10.30.100.68/24')).toBe('broadcast');
    expect(reservedAddressOf('10.30.100.15', '10.30.100.68/24')).toBeNull();
    expect(reservedAddressOf('10.30.101.255', '10.30.100.68/23')).toBe('broadcast');
    expect(reservedAddressOf('10.30.100.255', '10.30.100.68/23')).toBeNull();
    expect(reservedAddressOf('10.30.100.68', '10.30.100.68/31')).toBeNull();
  });
});

describe('a plan with clashing networks, through the API', () => {
  let lab: Lab;
  let bundle: TestBundle;
  let product: Product;

  deployFixtureHooks(
    53,
    [11, 21, 130].map((octet) => ({ octet, rootPassword: ROOT_PASSWORD })),
    buildHaBundle,
    (f) => ({ lab, bundle, product } = f),
  );

  const rows = (sql: string) => product.ctx.db.prepare(sql).all();

  /** Nothing on record and no host reached: a host's key is recorded on first contact. */
  async function expectUntouched(clusters: unknown[], nodes: unknown[]): Promise<void> {
    expect(rows('SELECT count(*) AS n FROM deploys')).toEqual([{ n: 0 }]);
    expect(rows('SELECT uuid FROM clusters')).toEqual(clusters);
    expect(rows('SELECT ip FROM nodes')).toEqual(nodes);
    expect(await product.services.api.knownHostList({})).toEqual({ total_count: 0, list: [] });
    for (const octet of [11, 21, 130])
      expect(lab.host(octet).exec('ls /opt/topke 2>/dev/null || echo none').trim()).toBe('none');
  }

  it('refuses the deploy before anything is recorded or any host reached', async () => {
    const [master, worker] = [lab.host(11), lab.host(21)];
    const plan = (extra: Partial<DeployRequestInput>) =>
      deployPlan('lab53', [master], [worker], bundle.archive, extra);
    const cases: [Partial<DeployRequestInput>, string, string][] = [
      [{ PodCidr: '10.96.0.0/16' }, 'PodCidr', 'PodCidr 10.96.0.0/16 overlaps ServicePodCidr'],
      [{ PodCidr: '198.18.0.0/16' }, 'master_list[0].IP', `${master.ip} is inside PodCidr`],
      [
        { ServicePodCidr: '198.18.53.16/28' },
        'node_list[0].IP',
        `${worker.ip} is inside ServicePodCidr 198.18.53.16/28`,
      ],
      [
        { ControlPlaneConfig: { HAConfig: { vip: worker.ip, port: 8443 } } },
        'ControlPlaneConfig.HAConfig.vip',
        `${worker.ip} is also the address of node_list[0].IP`,
      ],
      [
        { ControlPlaneConfig: { HAConfig: { vip: '10.96.0.10', port: 8443 } } },
        'ControlPlaneConfig.HAConfig.vip',
        '10.96.0.10 is inside ServicePodCidr 10.96.0.0/12',
      ],
    ];
    for (const [extra, field, message] of cases) {
      const err = await rejection(product.services.api.deploy(plan(extra)));
      expect(err).toBeInstanceOf(TopkeError);
      expect(err).toMatchObject({ code: 'invalid_field', field });
      expect(err.message).toContain(message);
    }
    await expectUntouched([], []);
  });

  it('names the plan’s own mistakes before looking for its bundle, given or not', async () => {
    const [master, worker] = [lab.host(11), lab.host(21)];
    const plan = (bundlePath: string | undefined, extra: Partial<DeployRequestInput>) => {
      const made = deployPlan('lab53-nobundle', [master], [worker], '', extra);
      if (bundlePath === undefined) delete made.bundle_path;
      else made.bundle_path = bundlePath;
      return made;
    };
    const cases: [Partial<DeployRequestInput>, string, string][] = [
      [{ PodCidr: '10.96.0.0/16' }, 'PodCidr', 'PodCidr 10.96.0.0/16 overlaps ServicePodCidr'],
      [
        { node_list: [{ IP: master.ip, NodeName: 'w-again' }] },
        'node_list[0].IP',
        `${master.ip} is also master_list[0].IP: each address and node name is given once`,
      ],
      [
        { node_list: [{ IP: worker.ip, NodeName: 'm-11' }] },
        'node_list[0].NodeName',
        'm-11 is also master_list[0].NodeName: each address and node name is given once',
      ],
      [
        { ControlPlaneConfig: { HAConfig: { vip: master.ip, port: 8443 } } },
        'ControlPlaneConfig.HAConfig.vip',
        `${master.ip} is also the address of master_list[0].IP`,
      ],
    ];
    // No bundle_path and none in the data folder's bundles/, or one that does not exist.
    for (const bundlePath of [undefined, '/media/usb/missing-bundle.tar.gz'])
      for (const [extra, field, message] of cases) {
        const err = await rejection(product.services.api.deploy(plan(bundlePath, extra)));
        expect(err).toMatchObject({ code: 'invalid_field', field });
        expect(err.message).toContain(message);
      }
    // The same plans without those mistakes are refused for their bundle.
    expect(await rejection(product.services.api.deploy(plan(undefined, {})))).toMatchObject({
      code: 'not_found',
      field: 'bundle_path',
    });
    expect(
      await rejection(product.services.api.deploy(plan('/media/usb/missing-bundle.tar.gz', {}))),
    ).toMatchObject({ code: 'bundle_invalid' });
    await expectUntouched([], []);
  });

  it("refuses a node create onto the cluster's VIP or pod network, touching nothing", async () => {
    // A cluster on record as running, as a finished deploy leaves it, without deploying one.
    const request = validate(
      DeployRequest,
      deployPlan('lab53-ha', [lab.host(11)], [], bundle.dir, {
        PodCidr: '198.18.53.128/25',
        ControlPlaneConfig: { HAConfig: { vip: '198.18.53.100', port: 8443 } },
      }),
    );
    const { plan } = await prepareDeploy(product.ctx, request);
    const { db, secrets } = product.ctx;
    saveDeployingCluster(
      db,
      secrets,
      plan.clusterUuid,
      plan.settings,
      plan.credentials,
      plan.newHosts,
    );
    setClusterState(db, plan.clusterUuid, 'running', '');

    const uuid = plan.clusterUuid;
    const onVip = await rejection(
      product.services.api.nodeCreate({ uuid, node_list: [{ IP: '198.18.53.100' }] }),
    );
    expect(onVip).toMatchObject({ code: 'invalid_field', field: 'node_list[0].IP' });
    expect(onVip.message).toContain("198.18.53.100 is the cluster's VIP");
    const inPods = await rejection(
      product.services.api.nodeCreate({
        uuid,
        node_list: [{ IP: lab.host(21).ip }, { IP: lab.host(130).ip }],
      }),
    );
    expect(inPods).toMatchObject({ code: 'invalid_field', field: 'node_list[1].IP' });
    expect(inPods.messageCn).toContain(`${lab.host(130).ip} 位于 PodCidr 198.18.53.128/25 内`);
    await expectUntouched([{ uuid }], [{ ip: lab.host(11).ip }]);
  });
});
