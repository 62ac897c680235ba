/**
 * A cluster's deploys, every one of them: a deploy whose worker fails, the same deploy run again
 * once the cause is gone, then a node create, all on real lab hosts. Listed newest first by the
 * service, over HTTP and by the command line; each one shown with its stages, hosts, steps and
 * output by deploy status inspect with its deploy_id.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeployListResult, DeployStatusResult } from '../../main/contract/results.js';
import { createHttpServer } from '../../main/transport/http.js';
import {
  deployPlan,
  ROOT_PASSWORD,
  startDeployFixture,
  waitForDeploy,
  type DeployFixture,
} from '../deploy/harness.js';
import { requireBuiltCli, runTopke } from '../support/cli.js';
import { insertCluster } from './harness.js';

const FAIL_FILE = '/etc/topke-standin/fail-kubeadm-join';
const FAILURE = 'error execution phase kubelet-start: injected failure for the history test\n';
const TOKEN = 'deploy-list-token-5a1c';
const OTHER = 'c0ffee00-0000-4000-8000-000000000054';

describe("a cluster's deploys", () => {
  let fixture: DeployFixture;
  let uuid: string;
  /** The three deploys, as deploy status answered each when it ended, in the order they ran. */
  const ended: DeployStatusResult[] = [];
  let server: Server;
  let base: string;

  beforeAll(async () => {
    requireBuiltCli();
    fixture = await startDeployFixture(54, [
      { octet: 11, rootPassword: ROOT_PASSWORD },
      { octet: 12, rootPassword: ROOT_PASSWORD, files: { [FAIL_FILE]: FAILURE } },
      { octet: 13, rootPassword: ROOT_PASSWORD },
    ]);
    const { lab, bundle, product } = fixture;
    const plan = deployPlan('hist54', [lab.host(11)], [lab.host(12)], bundle.dir);
    uuid = (await product.services.api.deploy(plan)).uuid;
    ended.push(await waitForDeploy(product, uuid));
    lab.host(12).exec(`rm ${FAIL_FILE}`);
    expect((await product.services.api.deploy(plan)).uuid).toBe(uuid);
    ended.push(await waitForDeploy(product, uuid));
    await product.services.api.nodeCreate({ uuid, node_list: [{ IP: lab.host(13).ip }] });
    ended.push(await waitForDeploy(product, uuid));
    insertCluster(product.ctx, { uuid: OTHER, name: 'no-deploys' });

    server = createHttpServer({
      api: product.services.api,
      events: product.ctx.events,
      token: TOKEN,
      log: product.ctx.log,
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/topke/cluster`;
  }, 300_000);

  afterAll(async () => {
    if (server) await new Promise((r) => server.close(r));
    await fixture?.teardown();
  });

  const api = () => fixture.product.services.api;
  const ip = (octet: number) => fixture.lab.host(octet).ip;

  it('ran a failed deploy, a successful one and a node create', () => {
    expect(ended.map((s) => s.DeployStage.State)).toEqual(['failed', 'success', 'success']);
    expect(new Set(ended.map((s) => s.deploy_id)).size).toBe(3);
  });

  it('lists every deploy newest first, with its kind, state, times, stages and hosts', async () => {
    const listed = await api().deployList({ uuid });
    expect(listed.total_count).toBe(3);
    expect(listed.list.map((d) => d.deploy_id)).toEqual(ended.map((s) => s.deploy_id).reverse());
    expect(listed.list.map((d) => [d.kind, d.state, d.is_over])).toEqual([
      ['node_create', 'success', true],
      ['deploy', 'success', true],
      ['deploy', 'failed', true],
    ]);
    const [grown, fixed, failed] = listed.list;
    expect(listed.list.every((d) => d.uuid === uuid)).toBe(true);
    for (const d of listed.list) expect(d.end_time).toBeGreaterThanOrEqual(d.start_time);
    expect(grown!.start_time).toBeGreaterThanOrEqual(fixed!.end_time);
    expect(fixed!.start_time).toBeGreaterThanOrEqual(failed!.end_time);

    expect(failed!.current_stage).toBe(3);
    expect(failed!.stages.map((s) => [s.name, s.is_finish, s.success])).toEqual([
      ['init node status', true, true],
      ['setup masters', true, true],
      ['update cluster certificate', true, true],
      ['setup workers', true, false],
    ]);
    expect(failed!.stages[3]!.error).toContain('injected failure for the history test');
    expect(failed!.err_info).toBe(ended[0]!.err_info);
    expect(failed!.err_info_cn).toBe(ended[0]!.err_info_cn);
    expect(failed!.err_info_cn).toMatch(/[\u4e00-\u9fff]/);
    expect(failed!.hosts.map((h) => [h.addr, h.role])).toEqual([
      [ip(11), 'master'],
      [ip(12), 'worker'],
    ]);
    expect(failed!.hosts.map((h) => [h.message, h.step])).toEqual([
      ['deployed', 'worker join command'],
      ['failed', 'join cluster'],
    ]);
    expect([fixed!.err_info, fixed!.err_info_cn]).toEqual(['', '']);
    expect(fixed!.stages.every((s) => s.is_finish && s.success)).toBe(true);
    expect(grown!.hosts).toEqual([
      {
        addr: ip(13),
        role: 'worker',
        message: 'deployed',
        step: 'join cluster',
        step_cn: '加入集群',
      },
    ]);
  });

  it('shows each deploy by its deploy_id: stages, hosts, steps and output', async () => {
    const [first, second, third] = ended;
    const old = await api().deployStatus({ uuid, deploy_id: first!.deploy_id });
    expect(old.deploy_id).toBe(first!.deploy_id);
    expect(old.DeployStage.State).toBe('failed');
    expect(old.DeployStage.Stages.map((s) => s.success)).toEqual([true, true, true, false]);
    expect(old.total_status.find((h) => h.addr === ip(12))!.message).toBe('failed');
    const join = old.steps.find((s) => s.host === ip(12) && s.step === 'join cluster')!;
    expect(join.state).toBe('failed');
    expect(join.output).toContain('injected failure for the history test');

    const again = await api().deployStatus({ uuid, deploy_id: second!.deploy_id });
    expect(again.DeployStage.State).toBe('success');
    const rejoin = again.steps.find((s) => s.host === ip(12) && s.step === 'join cluster')!;
    expect(rejoin.state).toBe('ok');
    expect(again.steps.find((s) => s.host === ip(11) && s.step === 'kubeadm init')!.state).toBe(
      'skipped',
    );

    const grown = await api().deployStatus({ uuid, deploy_id: third!.deploy_id });
    expect(grown.node_list.map((n) => n.IP)).toEqual([ip(13)]);
    expect(grown.steps.some((s) => s.host === ip(13) && s.step === 'join cluster')).toBe(true);
    expect(grown.steps.some((s) => s.host === ip(12))).toBe(false);
    // Without deploy_id, the latest, as the spec's status has always answered.
    expect((await api().deployStatus({ uuid })).deploy_id).toBe(third!.deploy_id);
  });

  it("refuses another cluster's deploy, an unknown cluster and a malformed uuid, naming the field", async () => {
    const foreign = await api()
      .deployStatus({ uuid: OTHER, deploy_id: ended[0]!.deploy_id })
      .catch((e: unknown) => e);
    expect(foreign).toMatchObject({ code: 'not_found', field: 'deploy_id' });
    expect((foreign as Error).message).toContain(OTHER);
    expect(await api().deployList({ uuid: OTHER })).toEqual({ total_count: 0, list: [] });
    const unknown = 'deadbeef-0000-4000-8000-000000000054';
    await expect(api().deployList({ uuid: unknown })).rejects.toMatchObject({
      code: 'not_found',
      field: 'uuid',
      messageCn: expect.stringContaining(unknown),
    });
    await expect(api().deployList({ uuid: 'not a uuid' })).rejects.toMatchObject({
      code: 'invalid_field',
      field: 'uuid',
    });
    await expect(api().deployStatus({ uuid, deploy_id: 'nope!' })).rejects.toMatchObject({
      code: 'invalid_field',
      field: 'deploy_id',
    });
  });

  it('answers the same over HTTP: GET with a query string, POST with a body', async () => {
    const headers = { authorization: `Bearer ${TOKEN}` };
    const got = await fetch(`${base}/deploy/list?uuid=${uuid}`, { headers });
    expect(got.status).toBe(200);
    const envelope = (await got.json()) as { scode: number; data: DeployListResult };
    expect(envelope.scode).toBe(0);
    const { Status, ...data } = envelope.data as DeployListResult & { Status: unknown };
    expect(Status).toMatchObject({ code: 0 });
    expect(data).toEqual(await api().deployList({ uuid }));

    const shown = await fetch(`${base}/deploy/status/inspect`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ uuid, deploy_id: ended[0]!.deploy_id }),
    });
    const status = ((await shown.json()) as { data: DeployStatusResult }).data;
    expect(status.deploy_id).toBe(ended[0]!.deploy_id);
    expect(status.DeployStage.State).toBe('failed');

    const missing = await fetch(`${base}/deploy/list`, { headers });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ data: null, error: { field: 'uuid' } });
  });

  it('lists them from the command line, and shows one with --deploy', async () => {
    const dir = ['--data-dir', fixture.product.dir];
    const listed = await runTopke(['deploys', uuid, ...dir]);
    expect(listed.code).toBe(0);
    const ids = (JSON.parse(listed.stdout) as { data: DeployListResult }).data.list.map(
      (d) => d.deploy_id,
    );
    expect(ids).toEqual(ended.map((s) => s.deploy_id).reverse());
    const failed = await runTopke(['status', uuid, '--deploy', ended[0]!.deploy_id, ...dir]);
    // status exits non-zero for a failed deploy, as it always has.
    expect(failed.code).toBe(1);
    const shown = (JSON.parse(failed.stdout) as { data: DeployStatusResult }).data;
    expect(shown.deploy_id).toBe(ended[0]!.deploy_id);
  });

  it('keeps listing them once the cluster is removed, until they are purged', async () => {
    // (A removal while a node create reads its bundle: test/deploy/delete-race.test.ts.)
    expect(await api().clusterDelete({ uuid })).toEqual({ uuid });
    expect((await api().deployList({ uuid })).total_count).toBe(3);
    expect((await api().deployPurge({ uuid })).purged).toBe(3);
    await expect(api().deployList({ uuid })).rejects.toMatchObject({ code: 'not_found' });
  });
});
