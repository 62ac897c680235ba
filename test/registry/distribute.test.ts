import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'smol-toml';
import type { RegistryDistributeResult } from '../../main/contract/results.js';
import {
  deployPlan,
  ROOT_PASSWORD,
  sshdCountsDuring,
  startDeployFixture,
  waitForDeploy,
  type DeployFixture,
  type Product,
} from '../deploy/harness.js';
import { createTestPki, type TestPki } from '../kubeconfig/pki.js';
import type { TestBundle } from '../lab/bundle.js';
import type { Lab, LabHost } from '../lab/lab.js';
import { rejection } from '../support/errors.js';
import { CHINESE } from './harness.js';
import { startNodesApiServer } from './nodes-apiserver.js';

const REGISTRY = 'reg.lab:5443';
const SUDO_PASSWORD = 'deployer-Sudo-42';
const CERTS = `/etc/containerd/certs.d/${REGISTRY}`;
const ANCHOR = '/usr/local/share/ca-certificates/topke-registry-reg.lab_5443.crt';
const BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
const FILES = [`${CERTS}/ca.crt`, `${CERTS}/hosts.toml`, ANCHOR, BUNDLE];

const restarts = (host: LabHost): number =>
  host
    .readFile('/var/lib/topke-standin/calls.log')
    .split('\n')
    .filter((l) => l === 'systemctl restart containerd').length;

/** Each file's modification time to the nanosecond: equal before and after means untouched. */
const stamps = (host: LabHost): string => host.exec(`stat -c '%n %y' ${FILES.join(' ')}`);

/** The base64 body of a PEM certificate, as one line per 64 characters. */
const body = (pem: string): string => pem.replace(/-----[A-Z ]+-----/g, '').trim();

describe('registry distribute onto deployed lab clusters', () => {
  let lab: Lab;
  let bundle: TestBundle;
  let product: Product;
  let pki: TestPki;
  let registryUuid: string;
  let clusterA: string;
  let clusterB: string;
  let a: LabHost[];
  let b: LabHost[];
  let fixture: DeployFixture | undefined;

  const distribute = (clusters: string[], extra: object = {}): Promise<RegistryDistributeResult> =>
    product.services.api.registryDistribute({
      clusters,
      registry: { registry_uuid: registryUuid },
      ...extra,
    });

  beforeAll(async () => {
    fixture = await startDeployFixture(80, [
      { octet: 11, rootPassword: ROOT_PASSWORD },
      {
        octet: 12,
        rootPassword: ROOT_PASSWORD,
        users: [{ name: 'deployer', password: SUDO_PASSWORD, sudo: 'password' }],
      },
      { octet: 21, rootPassword: ROOT_PASSWORD },
      { octet: 22, rootPassword: ROOT_PASSWORD },
      { octet: 31, rootPassword: ROOT_PASSWORD },
    ]);
    ({ lab, bundle, product } = fixture);
    a = [lab.host(11), lab.host(12)];
    b = [lab.host(21), lab.host(22)];
    pki = createTestPki();
    const api = product.services.api;
    // The worker of cluster A is reached as a user who becomes root with sudo and a password.
    const planA = deployPlan('lab80-a', [a[0]!], [a[1]!], bundle.dir);
    planA.node_list![0]!.ssh = { user: 'deployer', password: SUDO_PASSWORD };
    const [first, second] = await Promise.all([
      api.deploy(planA),
      api.deploy(deployPlan('lab80-b', [b[0]!], [b[1]!], bundle.dir)),
    ]);
    clusterA = first.uuid;
    clusterB = second.uuid;
    const states = await Promise.all([clusterA, clusterB].map((u) => waitForDeploy(product, u)));
    expect(states.map((s) => s.DeployStage.State)).toEqual(['success', 'success']);
    // Typed in upper case: the CA must still land where containerd looks (certs.d/reg.lab:5443).
    const created = await api.registryCreate({
      address: `https://${REGISTRY.toUpperCase()}`,
      project: 'library',
      user: 'robot',
      password: 'registry-Secret-551',
      ca_cert: pki.ca.cert,
    });
    registryUuid = created.registry_uuid;
  });

  afterAll(async () => {
    await fixture?.teardown();
    pki?.cleanup();
  });

  it('puts the CA where containerd and the system tools read it, on every node', async () => {
    const before = a.map(restarts);
    let answer!: RegistryDistributeResult;
    // One SSH connection per node, the worker's with sudo included; none to another cluster.
    const opened = await sshdCountsDuring([...a, ...b], async () => {
      answer = await distribute([clusterA]);
    });
    expect(opened).toEqual([
      { connections: 1, logins: 1 },
      { connections: 1, logins: 1 },
      { connections: 0, logins: 0 },
      { connections: 0, logins: 0 },
    ]);

    expect(answer).toEqual({
      total: 1,
      success: 1,
      fail: 0,
      results: [
        {
          code: 0,
          message: '',
          messageCn: '',
          stack: null,
          desc: '',
          UUID: '',
          message_cn: '',
          data: clusterA,
          scode: 0,
          nodes: [
            {
              ip: a[0]!.ip,
              node_name: 'm-11',
              ok: true,
              changed: true,
              message: '',
              message_cn: '',
            },
            {
              ip: a[1]!.ip,
              node_name: 'w-12',
              ok: true,
              changed: true,
              message: '',
              message_cn: '',
            },
          ],
        },
      ],
    });
    for (const host of a) {
      expect(host.readFile(`${CERTS}/ca.crt`)).toBe(pki.ca.cert);
      expect(parse(host.readFile(`${CERTS}/hosts.toml`))).toEqual({
        server: `https://${REGISTRY}`,
        host: {
          [`https://${REGISTRY}`]: { capabilities: ['pull', 'resolve'], ca: `${CERTS}/ca.crt` },
        },
      });
      expect(host.readFile(ANCHOR)).toBe(pki.ca.cert);
      expect(host.exec(`stat -c %a ${ANCHOR} ${CERTS}/ca.crt`).split('\n')).toEqual([
        '644',
        '644',
        '',
      ]);
      expect(host.readFile(BUNDLE)).toContain(body(pki.ca.cert));
    }
    expect(a.map(restarts)).toEqual(before.map((n) => n + 1));
  });

  it('changes nothing when run a second time', async () => {
    const before = a.map((h) => ({ stamps: stamps(h), restarts: restarts(h) }));
    const answer = await distribute([clusterA]);
    expect(answer).toMatchObject({ total: 1, success: 1, fail: 0 });
    expect(answer.results[0]!.nodes.map((n) => [n.ip, n.ok, n.changed])).toEqual([
      [a[0]!.ip, true, false],
      [a[1]!.ip, true, false],
    ]);
    expect(a.map((h) => ({ stamps: stamps(h), restarts: restarts(h) }))).toEqual(before);
  });

  it('lists the nodes of an imported cluster from its API server and logs in with the request ssh', async () => {
    const node = lab.host(31);
    const tls = { ...pki.server({ ips: ['127.0.0.1'] }), ca: pki.ca.cert };
    const token = 'imported-Token-5150';
    const server = await startNodesApiServer(tls, token, [
      { name: 'imported-31', ip: node.ip, controlPlane: true },
    ]);
    try {
      const added = await product.services.api.clusterAdd({
        Name: 'lab80-imported',
        kube_config_data: Buffer.from(server.kubeconfig).toString('base64'),
      });
      const uuid = added.Infos[0]!.UUID;

      const refused = (await distribute([uuid])).results[0]!;
      expect(refused.message).toBe(
        `ssh: needs SSH credentials for ${node.ip}: a password or a private key`,
      );
      const answer = await distribute([uuid], {
        ssh: { user: 'root', password: ROOT_PASSWORD, port: 22 },
      });
      expect(answer).toMatchObject({ total: 1, success: 1, fail: 0 });
      expect(server.paths.filter((p) => p === '/api/v1/nodes')).toHaveLength(2);
      expect(node.readFile(`${CERTS}/ca.crt`)).toBe(pki.ca.cert);
      expect(node.readFile(ANCHOR)).toBe(pki.ca.cert);
      expect(node.readFile(BUNDLE)).toContain(body(pki.ca.cert));
      // No containerd runs on this host: nothing is started or restarted.
      const calls = node.readFile('/var/lib/topke-standin/calls.log');
      expect(calls).toContain('systemctl is-active --quiet containerd');
      expect(calls).not.toContain('restart');
      expect(JSON.stringify(answer)).not.toContain(token);
    } finally {
      await server.close();
    }
  });

  it('fails a cluster with a node down on its own, naming the node, while the others succeed', async () => {
    b[1]!.stop();
    const unknown = '0b9f6d3e-1c1f-4a51-9d55-6f0f0a0e0e0e';
    const answer = await distribute([clusterA, clusterB, unknown]);

    expect(answer).toMatchObject({ total: 3, success: 1, fail: 2 });
    expect(answer.results.map((r) => [r.data, r.scode === 0])).toEqual([
      [clusterA, true],
      [clusterB, false],
      [unknown, false],
    ]);
    const down = answer.results[1]!;
    expect(down.scode).toBeGreaterThanOrEqual(400);
    expect(down.code).toBe(down.scode);
    expect(down.message).toMatch(
      /^cluster lab80-b: the CA could not be put on 1 of 2 nodes: 198\.18\.80\.22 \(w-22\): \S/,
    );
    expect(down.message_cn).toMatch(
      /^集群 lab80-b：2 个节点中有 1 个未能下发证书：198\.18\.80\.22（w-22）：\S/,
    );
    expect(down.message_cn).toMatch(CHINESE);
    expect(down.message).not.toContain(ROOT_PASSWORD);
    // Each node's own outcome: the one that took the CA, and the one down with its reason.
    expect(down.nodes.map((n) => [n.ip, n.node_name, n.ok])).toEqual([
      [b[0]!.ip, 'm-21', true],
      [b[1]!.ip, 'w-22', false],
    ]);
    expect(down.nodes[1]!.message).toMatch(/^198\.18\.80\.22 \(w-22\): \S/);
    expect(down.message).toContain(down.nodes[1]!.message);
    expect(down.nodes[1]!.message_cn).toMatch(CHINESE);
    expect(answer.results[2]!.nodes).toEqual([]);
    expect(b[0]!.readFile(`${CERTS}/ca.crt`)).toBe(pki.ca.cert);
    expect(answer.results[2]!.message).toBe(`cluster ${unknown} was not found`);
    expect(answer.results[2]!.message_cn).toBe(`未找到集群 ${unknown}`);
  });

  it('uses the request ssh for a cluster without a stored login, and replaces a changed CA', async () => {
    product.ctx.db.prepare('UPDATE clusters SET ssh_enc = NULL WHERE uuid = ?').run(clusterA);
    const other = pki.otherCa().cert;
    await product.services.api.registryUpdate({ registry_uuid: registryUuid, ca_cert: other });

    const refused = (await distribute([clusterA])).results[0]!;
    expect(refused.desc).toBe('invalid_field');
    expect(refused.message).toBe(
      `ssh: needs SSH credentials for ${a[0]!.ip}: a password or a private key`,
    );
    expect(refused.message_cn).toMatch(CHINESE);

    const before = a.map(restarts);
    const answer = await distribute([clusterA], {
      ssh: { user: 'root', password: ROOT_PASSWORD, port: 22 },
    });
    expect(answer).toMatchObject({ total: 1, success: 1, fail: 0 });
    for (const host of a) {
      expect(host.readFile(`${CERTS}/ca.crt`)).toBe(other);
      expect(host.readFile(ANCHOR)).toBe(other);
      const trusted = host.readFile(BUNDLE);
      expect(trusted).toContain(body(other));
      expect(trusted).not.toContain(body(pki.ca.cert));
    }
    expect(a.map(restarts)).toEqual(before.map((n) => n + 1));
  });

  it('leaves out a node its deploy did not finish, and a cluster with no running node', async () => {
    // As a node create that failed, or was cut short, leaves the record of its new worker.
    const nodeState = product.ctx.db.prepare(
      'UPDATE nodes SET state = ? WHERE cluster_uuid = ? AND ip = ?',
    );
    try {
      nodeState.run('stopped', clusterB, b[1]!.ip);
      const [one] = (await distribute([clusterB])).results;
      expect(one!.nodes.map((n) => [n.ip, n.ok])).toEqual([[b[0]!.ip, true]]);
      nodeState.run('failed', clusterB, b[0]!.ip);
      const [none] = (await distribute([clusterB])).results;
      expect(none!.nodes).toEqual([]);
      expect(none!.message).toBe(
        `clusters: cluster ${clusterB} (lab80-b) has no running node on record to put the certificate on`,
      );
    } finally {
      nodeState.run('running', clusterB, b[0]!.ip);
      nodeState.run('running', clusterB, b[1]!.ip);
    }
  });

  it('refuses an unknown registry before touching any host', async () => {
    const stampsBefore = stamps(a[0]!);
    const err = await rejection(
      product.services.api.registryDistribute({
        clusters: [clusterA],
        registry: { registry_uuid: '5c1e7d2a-0000-4000-8000-00000000beef' },
      }),
    );
    expect(err).toMatchObject({ code: 'not_found', field: 'registry.registry_uuid', scode: 404 });
    expect(err.messageCn).toMatch(CHINESE);
    expect(stamps(a[0]!)).toBe(stampsBefore);
  });
});
