import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeployStatusResult } from '../../main/contract/results.js';
import { buildTestBundle, type TestBundle } from '../lab/bundle.js';
import { createLab, type Lab } from '../lab/lab.js';
import { requireBuiltCli, runTopke as topke, type CliRun } from '../support/cli.js';
import { deployPlan, lines, removeDir, ROOT_PASSWORD } from './harness.js';

interface FailureEnvelope {
  scode: number;
  desc: string;
  message: string;
  message_cn: string;
  data: null;
  error: { code: string; details: { uuid: string; deploy_id: string } };
}

describe('topke deploy PLAN.json', () => {
  let lab: Lab;
  let bundle: TestBundle;
  let work: string;
  let dataDir: string;

  beforeAll(async () => {
    requireBuiltCli();
    lab = createLab(52, [
      { octet: 11, rootPassword: ROOT_PASSWORD },
      { octet: 12, rootPassword: ROOT_PASSWORD },
      { octet: 13, rootPassword: ROOT_PASSWORD },
      { octet: 21, rootPassword: ROOT_PASSWORD },
      {
        octet: 22,
        rootPassword: ROOT_PASSWORD,
        files: { '/etc/topke-standin/fail-kubeadm-join': 'the CLI test worker fails\n' },
      },
      {
        octet: 31,
        rootPassword: ROOT_PASSWORD,
        files: { '/etc/topke-standin/hold-kubeadm-init': '[bootstrap-token]\n' },
      },
    ]);
    bundle = await buildTestBundle();
    work = mkdtempSync(join(tmpdir(), 'topke-cli-'));
    dataDir = join(work, 'data');
  });

  afterAll(() => {
    lab?.teardown();
    bundle?.remove();
    if (work) removeDir(work);
  });

  function planFile(name: string, plan: object): string {
    const path = join(work, name);
    writeFileSync(path, JSON.stringify(plan, null, 2));
    return path;
  }

  it('deploys, prints the status envelope and exits 0', async () => {
    const plan = planFile(
      'good.json',
      deployPlan('cli52', [lab.host(11)], [lab.host(12)], bundle.archive),
    );
    const run = await topke(['deploy', plan, '--data-dir', dataDir, '--follow-output']);
    expect(run.stderr).toMatch(/deploy: stage 3 198\.18\.52\.12 join cluster: ok/);
    // From the first step on, those the request starts before it answers included.
    for (const ip of [lab.host(11).ip, lab.host(12).ip])
      expect(lines(run.stderr)).toContain(`deploy: stage 0 ${ip} connect: running`);
    expect(lines(run.stderr).at(-1)).toBe('deploy: success');
    expect(run.code).toBe(0);
    // The steps' output, line by line after its host and step, the join token redacted.
    const init = lines(run.stderr).filter((l) => l.startsWith('  198.18.52.11 kubeadm init | '));
    expect(init).toContain(
      '  198.18.52.11 kubeadm init | $ /usr/local/bin/kubeadm init --config /etc/topke/kubeadm-init.yaml --upload-certs',
    );
    expect(init).toContain('  198.18.52.11 kubeadm init | [bootstrap-token] Using token: [token]');
    expect(init).toContain(
      '  198.18.52.11 kubeadm init | Your Kubernetes control-plane has initialized successfully!',
    );
    for (const token of lines(lab.host(11).readFile('/var/lib/topke-standin/tokens')))
      expect(run.stderr).not.toContain(token);
    const envelope = JSON.parse(run.stdout) as {
      scode: number;
      data: Record<string, unknown> & { DeployStage: { State: string } };
    };
    expect(envelope.scode).toBe(0);
    expect(envelope.data.Status).toMatchObject({ code: 0 });
    expect(envelope.data.DeployStage.State).toBe('success');
    expect(envelope.data).toMatchObject({ name: 'cli52', is_over: true, err_info: '' });
    expect(run.stdout).not.toContain(ROOT_PASSWORD);

    const list = await topke(['list', '--data-dir', dataDir]);
    expect(list.code).toBe(0);
    const listed = JSON.parse(list.stdout) as { data: { list: { name: string; state: string }[] } };
    expect(listed.data.list).toEqual([
      expect.objectContaining({ name: 'cli52', state: 'running' }),
    ]);
  });

  describe('a plan whose worker fails', () => {
    let run: CliRun;
    let envelope: FailureEnvelope;

    beforeAll(async () => {
      const plan = planFile(
        'bad.json',
        deployPlan('cli52-bad', [lab.host(21)], [lab.host(22)], bundle.dir),
      );
      run = await topke(['deploy', plan, '--data-dir', dataDir]);
      envelope = JSON.parse(run.stdout) as FailureEnvelope;
    });

    it('exits 1 with a failure envelope: the err_info in both languages, the uuid in details', async () => {
      expect(run.code).toBe(1);
      expect(envelope).toMatchObject({
        scode: 502,
        desc: 'deploy_failed',
        data: null,
        error: { code: 'deploy_failed' },
      });
      const { uuid, deploy_id } = envelope.error.details;
      const status = await topke(['status', uuid, '--data-dir', dataDir]);
      expect(status.code).toBe(1);
      const record = (JSON.parse(status.stdout) as { data: DeployStatusResult }).data;
      expect(record).toMatchObject({ uuid, deploy_id, is_over: true, name: 'cli52-bad' });
      expect(record.err_info).toContain(`${lab.host(22).ip} (w-22) step "join cluster" failed`);
      expect(record.err_info).toContain('the CLI test worker fails');
      expect(envelope.message).toBe(
        `the deploy failed; \`topke status ${uuid}\` shows its record: ${record.err_info}`,
      );
      expect(envelope.message_cn).toBe(
        `部署失败；可用 \`topke status ${uuid}\` 查看其记录：${record.err_info_cn}`,
      );
      expect(run.stderr).toContain(`error: ${envelope.message}\n`);
    });

    it('says each thing once on stderr: the step that failed, the stage, then the error', () => {
      const said = lines(run.stderr);
      expect(said.filter((l, i) => said.indexOf(l) !== i)).toEqual([]);
      const failing = lab.host(22).ip;
      expect(said.filter((l) => l.startsWith('deploy:') && l.includes(failing))).toEqual(
        expect.arrayContaining([`deploy: stage 3 ${failing} join cluster: failed`]),
      );
      expect(said.filter((l) => /^deploy: .*failed/.test(l))).toEqual([
        `deploy: stage 3 ${failing} join cluster: failed`,
        'deploy: stage 3: failed setup workers',
      ]);
      // The output's tail is in the error, once.
      expect(run.stderr.split('the CLI test worker fails')).toHaveLength(2);
    });
  });

  describe('topke node add UUID IP', () => {
    interface Listed {
      uuid: string;
      name: string;
      node_count: number;
      nodes: { ip: string; name: string; role: string; state: string }[];
    }
    const listed = async (name: string): Promise<Listed> => {
      const list = await topke(['list', '--data-dir', dataDir]);
      const all = (JSON.parse(list.stdout) as { data: { list: Listed[] } }).data.list;
      return all.find((c) => c.name === name)!;
    };

    it('adds a worker with the login given, follows it to its end and exits 0', async () => {
      const { uuid } = await listed('cli52');
      const extra = lab.host(13);
      const run = await topke(
        [
          'node',
          'add',
          uuid,
          extra.ip,
          '--name',
          'w-13',
          '--user',
          'root',
          '--follow-output',
          '--data-dir',
          dataDir,
        ],
        undefined,
        { TOPKE_SSH_PASSWORD: ROOT_PASSWORD },
      );
      expect(run.code).toBe(0);
      const said = lines(run.stderr);
      expect(said[0]).toBe(`node create ${uuid} started`);
      expect(said).toContain(`deploy: stage 0 ${extra.ip} connect: running`);
      expect(said).toContain(`deploy: stage 3 ${extra.ip} join cluster: ok`);
      // --follow-output: the new host's steps' output, after its address.
      expect(said.some((l) => l.startsWith(`  ${extra.ip} `))).toBe(true);
      expect(said.at(-1)).toBe('deploy: success');
      const envelope = JSON.parse(run.stdout) as { scode: number; data: DeployStatusResult };
      expect(envelope.scode).toBe(0);
      expect(envelope.data.DeployStage.State).toBe('success');
      expect(envelope.data.total_status.map((h) => [h.addr, h.message])).toEqual([
        [extra.ip, 'deployed'],
      ]);
      expect(run.stdout + run.stderr).not.toContain(ROOT_PASSWORD);
      const join = JSON.parse(extra.readFile('/var/lib/topke-standin/join.json')) as {
        nodeName: string;
      };
      expect(join.nodeName).toBe('w-13');

      const cluster = await listed('cli52');
      expect(cluster.node_count).toBe(3);
      expect(cluster.nodes).toContainEqual({
        ip: extra.ip,
        name: 'w-13',
        role: 'worker',
        state: 'running',
      });
    });

    it('refuses a node of another cluster, exits 1 and records nothing', async () => {
      const before = await listed('cli52');
      const other = await listed('cli52-bad');
      const taken = lab.host(21).ip;
      const run = await topke(['node', 'add', before.uuid, taken, '--data-dir', dataDir]);
      expect(run.code).toBe(1);
      const envelope = JSON.parse(run.stdout) as FailureEnvelope & { error: { field: string } };
      expect(envelope).toMatchObject({ scode: 409, data: null, error: { code: 'conflict' } });
      expect(envelope.error.field).toBe('IP');
      expect(envelope.message).toBe(
        `IP: ${taken} is already a node of another cluster, "cli52-bad" (${other.uuid}): a host can be a node of one cluster only; if that cluster is gone, remove it from the history first`,
      );
      expect(envelope.message_cn).toContain(`IP：${taken} 已是另一个集群 “cli52-bad”`);
      expect(run.stderr).toContain(`error: ${envelope.message}\n`);
      expect(run.stderr).not.toContain('started');
      expect(await listed('cli52')).toEqual(before);
    });

    it('refuses names that do not pair with the addresses, naming --name', async () => {
      const { uuid } = await listed('cli52');
      const ips = `${lab.address(41)},${lab.address(42)}`;
      const run = await topke(['node', 'add', uuid, ips, '--name', 'w-41', '--data-dir', dataDir]);
      expect(run.code).toBe(1);
      const envelope = JSON.parse(run.stdout) as FailureEnvelope & { error: { field: string } };
      expect(envelope.error).toMatchObject({ code: 'invalid_field', field: '--name' });
      expect(envelope.message).toBe(
        '--name: gives 1 node names for 2 addresses: give one NODENAME per IP, comma-separated in the same order',
      );
    });
  });

  it('keeps the output printed up to the moment the process was killed mid-step', async () => {
    const host = lab.host(31);
    const crashDir = join(work, 'crash-data');
    const plan = planFile('crash.json', deployPlan('cli52-crash', [host], [], bundle.archive));
    // Killed, not stopped: nothing of the product's own runs after the held line was printed.
    const run = await topke(
      ['deploy', plan, '--data-dir', crashDir, '--follow-output'],
      /kubeadm init \| \[bootstrap-token\] Using token: \[token\]\n/,
      {},
      'SIGKILL',
    );
    expect(run.code).toBe(null);
    host.exec('touch /etc/topke-standin/release-kubeadm-init');
    const uuid = /deploy (\S+) started/.exec(run.stderr)![1]!;

    const status = await topke(['status', uuid, '--data-dir', crashDir]);
    const data = (JSON.parse(status.stdout) as { data: DeployStatusResult }).data;
    expect(data.err_info).toContain('the deploy was interrupted');
    const init = data.steps.find((s) => s.step === 'kubeadm init')!;
    expect(init.state).toBe('failed');
    expect(init.output).toContain('[upload-certs] Using certificate key:\n[secret]\n');
    expect(init.output).toMatch(/\[bootstrap-token\] Using token: \[token\]\n\[interrupted\]$/);
    for (const token of lines(host.readFile('/var/lib/topke-standin/tokens')))
      expect(status.stdout).not.toContain(token);
  });

  it('exits non-zero with a bilingual error for a plan that names a missing bundle', async () => {
    const plan = planFile(
      'nobundle.json',
      // An address no cluster has: the bundle is looked for before any host is reached.
      deployPlan('cli52-nb', [{ ip: lab.address(44) }], [], join(work, 'missing.tar.gz')),
    );
    const run = await topke(['deploy', plan, '--data-dir', dataDir]);
    expect(run.code).not.toBe(0);
    const envelope = JSON.parse(run.stdout) as {
      scode: number;
      message: string;
      message_cn: string;
      error: { code: string };
    };
    expect(envelope.error.code).toBe('bundle_invalid');
    expect(envelope.message).toContain('does not exist');
    expect(envelope.message_cn).toContain('不存在');
  });
});
