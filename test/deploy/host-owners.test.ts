import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab, LabHost } from '../lab/lab.js';
import { rejection } from '../support/errors.js';
import {
  deployPlan,
  ROOT_PASSWORD,
  sshdCountsDuring,
  startDeployFixture,
  waitForDeploy,
  type DeployFixture,
  type Product,
} from './harness.js';

const FAIL_JOIN = '/etc/topke-standin/fail-kubeadm-join';

/** What the history keeps of a cluster and its deploys: all that a refused request must leave. */
async function recordOf(product: Product, uuid: string) {
  const { list } = await product.services.api.clusterGet({ uuid });
  const { node_count, nodes, state } = list[0]!;
  const deploys = await product.services.api.deployList({ uuid });
  return { node_count, nodes, state, deploys };
}

function clusterCount(product: Product): number {
  return (product.ctx.db.prepare('SELECT count(*) AS n FROM clusters').get() as { n: number }).n;
}

describe('a host that is already a node of another cluster', () => {
  let f: DeployFixture;
  let lab: Lab;
  let product: Product;
  let a: string;
  let b: string;
  const host = (octet: number): LabHost => lab.host(octet);

  beforeAll(async () => {
    f = await startDeployFixture(57, [
      { octet: 11, rootPassword: ROOT_PASSWORD },
      { octet: 12, rootPassword: ROOT_PASSWORD },
      { octet: 15, rootPassword: ROOT_PASSWORD },
      { octet: 21, rootPassword: ROOT_PASSWORD },
      {
        octet: 22,
        rootPassword: ROOT_PASSWORD,
        files: { [FAIL_JOIN]: 'the worker fails its first join\n' },
      },
      {
        octet: 23,
        rootPassword: ROOT_PASSWORD,
        files: { [FAIL_JOIN]: 'the new worker fails its first join\n' },
      },
    ]);
    ({ lab, product } = f);
    const api = product.services.api;
    a = (await api.deploy(deployPlan('owners-a', [host(11)], [host(12)], f.bundle.dir))).uuid;
    expect((await waitForDeploy(product, a)).DeployStage.State).toBe('success');
    b = (await api.deploy(deployPlan('owners-b', [host(15)], [], f.bundle.dir))).uuid;
    expect((await waitForDeploy(product, b)).DeployStage.State).toBe('success');
  });

  afterAll(async () => {
    await f?.teardown();
  });

  it('is refused for node create before any host is reached, and nothing is recorded', async () => {
    const before = [await recordOf(product, a), await recordOf(product, b)];
    const [opened] = await sshdCountsDuring([host(15)], async () => {
      const err = await rejection(
        product.services.api.nodeCreate({ uuid: a, node_list: [{ IP: host(15).ip }] }),
      );
      expect(err).toMatchObject({ code: 'conflict', field: 'node_list[0].IP', scode: 409 });
      expect(err.message).toBe(
        `node_list[0].IP: ${host(15).ip} is already a node of another cluster, "owners-b" (${b}): a host can be a node of one cluster only; if that cluster is gone, remove it from the history first`,
      );
      expect(err.messageCn).toBe(
        `node_list[0].IP：${host(15).ip} 已是另一个集群 “owners-b”（${b}）的节点：一台主机只能属于一个集群；若该集群已不存在，请先将其从历史记录中移除`,
      );
    });
    expect(opened).toEqual({ connections: 0, logins: 0 });
    expect([await recordOf(product, a), await recordOf(product, b)]).toEqual(before);
    expect(before[0]!.node_count).toBe(2);
  });

  it('names the entry of the list that is taken, after the free ones', async () => {
    const err = await rejection(
      product.services.api.nodeCreate({
        uuid: b,
        node_list: [{ IP: host(21).ip }, { IP: host(12).ip }],
      }),
    );
    expect(err).toMatchObject({ code: 'conflict', field: 'node_list[1].IP' });
    expect(err.message).toContain(
      `${host(12).ip} is already a node of another cluster, "owners-a"`,
    );
  });

  it('is refused for a deploy, in master_list and node_list, with no cluster recorded', async () => {
    const api = product.services.api;
    const clusters = clusterCount(product);
    const asMaster = await rejection(
      api.deploy(deployPlan('owners-c', [host(11)], [host(21)], f.bundle.dir)),
    );
    expect(asMaster).toMatchObject({ code: 'conflict', field: 'master_list[0].IP' });
    expect(asMaster.message).toContain(`"owners-a" (${a})`);
    const asWorker = await rejection(
      api.deploy(deployPlan('owners-c', [host(21)], [host(15)], f.bundle.dir)),
    );
    expect(asWorker).toMatchObject({ code: 'conflict', field: 'node_list[0].IP' });
    expect(asWorker.messageCn).toContain(`“owners-b”（${b}）`);
    expect(clusterCount(product)).toBe(clusters);
  });

  it('still lets a failed cluster be deployed again on its own hosts', async () => {
    const api = product.services.api;
    const plan = deployPlan('owners-d', [host(21)], [host(22)], f.bundle.dir);
    const first = await api.deploy(plan);
    expect((await waitForDeploy(product, first.uuid)).DeployStage.State).toBe('failed');
    host(22).exec(`rm ${FAIL_JOIN}`);

    const again = await api.deploy(plan);
    expect(again.uuid).toBe(first.uuid);
    expect((await waitForDeploy(product, again.uuid)).DeployStage.State).toBe('success');
    const { nodes } = await recordOf(product, again.uuid);
    expect(nodes.map((n) => [n.ip, n.state])).toEqual([
      [host(21).ip, 'running'],
      [host(22).ip, 'running'],
    ]);
  });

  it('lets a worker a node create did not finish be given again, and sets it up in its place', async () => {
    const api = product.services.api;
    const late = host(23);
    await api.nodeCreate({ uuid: a, node_list: [{ IP: late.ip, NodeName: 'w-late' }] });
    expect((await waitForDeploy(product, a)).DeployStage.State).toBe('failed');
    const failed = (await recordOf(product, a)).nodes.find((n) => n.ip === late.ip);
    expect(failed).toMatchObject({ name: 'w-late', state: 'failed' });
    late.exec(`rm ${FAIL_JOIN}`);

    // Given again without its name: it keeps the one it was given, and its place.
    await api.nodeCreate({ uuid: a, node_list: [{ IP: late.ip }] });
    const status = await waitForDeploy(product, a);
    expect(status.DeployStage.State).toBe('success');
    expect(status.node_list.map((n) => [n.IP, n.NodeName])).toEqual([[late.ip, 'w-late']]);
    const { nodes, node_count } = await recordOf(product, a);
    expect(node_count).toBe(3);
    expect(nodes.map((n) => [n.ip, n.name, n.state])).toEqual([
      [host(11).ip, 'm-11', 'running'],
      [host(12).ip, 'w-12', 'running'],
      [late.ip, 'w-late', 'running'],
    ]);
    // A running node is not set up again, and an address given twice is named as such.
    const running = await rejection(api.nodeCreate({ uuid: a, node_list: [{ IP: late.ip }] }));
    expect(running.message).toBe(`node_list[0].IP: ${late.ip} is already a node of this cluster`);
    const twice = await rejection(
      api.nodeCreate({ uuid: a, node_list: [{ IP: host(21).ip }, { IP: host(21).ip }] }),
    );
    expect(twice.message).toBe(
      `node_list[1].IP: ${host(21).ip} is also node_list[0].IP: each address and node name is given once`,
    );
    expect(twice.messageCn).toContain('与 node_list[0].IP 重复');
  });
});
