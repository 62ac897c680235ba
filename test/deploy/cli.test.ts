import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeployStatusResult } from '../../main/contract/results.js';
import { buildTestBundle, type TestBundle } from '../lab/bundle.js';
import { createLab, type Lab } from '../lab/lab.js';
import { requireBuiltCli, runTopke as topke } from '../support/cli.js';
import { deployPlan, lines, removeDir, ROOT_PASSWORD } from './harness.js';

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

  it('exits non-zero for a plan whose worker fails, with the host and output in the envelope', async () => {
    const plan = planFile(
      'bad.json',
      deployPlan('cli52-bad', [lab.host(21)], [lab.host(22)], bundle.dir),
    );
    const run = await topke(['deploy', plan, '--data-dir', dataDir]);
    expect(run.code).not.toBe(0);
    const envelope = JSON.parse(run.stdout) as {
      data: { uuid: string; err_info: string; DeployStage: { State: string } };
    };
    expect(envelope.data.DeployStage.State).toBe('failed');
    expect(envelope.data.err_info).toContain(lab.host(22).ip);
    expect(envelope.data.err_info).toContain('join cluster');
    expect(envelope.data.err_info).toContain('the CLI test worker fails');

    const status = await topke(['status', envelope.data.uuid, '--data-dir', dataDir]);
    expect(status.code).not.toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({
      data: { uuid: envelope.data.uuid, is_over: true },
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
      deployPlan('cli52-nb', [lab.host(21)], [], join(work, 'missing.tar.gz')),
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
