import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestBundle } from '../lab/bundle.js';
import type { Lab, LabHost } from '../lab/lab.js';
import {
  deployPlan,
  ROOT_PASSWORD,
  startDeployFixture,
  waitForDeploy,
  type DeployFixture,
  type Product,
} from './harness.js';

/** Far longer than the test: the first run of the slowed command is still waiting when the
 * deploy ends, so whatever finished the step was the run after the reconnect. */
const SLOW_SECONDS = '600\n';

/** Parent pid and command name of every process on the machine (the lab hosts share its pid
 * namespace). */
function processTable(): { pid: number; ppid: number; comm: string }[] {
  const rows = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const ppid = Number(stat.slice(close + 2).split(' ')[1]);
      rows.push({ pid: Number(name), ppid, comm: stat.slice(stat.indexOf('(') + 1, close) });
    } catch {
      // The process ended while the table was read.
    }
  }
  return rows;
}

/** Kills the host's sshd session processes (each login's privileged monitor and its session
 * process), cutting every connection to the host, and leaves its listening sshd alive. Only this
 * host's: the lab hosts have no pid namespace of their own, so a pattern such as
 * `pkill -f 'sshd: root'` would also cut other tests' connections. Returns the killed pids. */
function dropSshSessions(host: LabHost): number[] {
  const table = processTable();
  const below = new Set([host.sshdPid!]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of table)
      if (below.has(p.ppid) && !below.has(p.pid)) {
        below.add(p.pid);
        grew = true;
      }
  }
  const sessions = table.filter((p) => p.pid !== host.sshdPid && below.has(p.pid));
  const sshd = sessions.filter((p) => p.comm === 'sshd').map((p) => p.pid);
  for (const pid of sshd) process.kill(pid, 'SIGKILL');
  return sshd;
}

/** Waits until the slowed stand-in command has started on the host; returns its pid. Fails at
 * once when the deploy ends first. */
async function slowCommandStarted(
  product: Product,
  uuid: string,
  host: LabHost,
  marker: string,
): Promise<number> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    const pid = host.exec(`cat /var/lib/topke-standin/${marker}.started 2>/dev/null || true`);
    if (pid.trim()) return Number(pid);
    const status = await product.services.api.deployStatus({ uuid });
    if (status.is_over) throw new Error(`the deploy ended first: ${status.err_info}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`${marker} did not start on ${host.ip}`);
}

const running = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('a connection dropped in the middle of a deploy step', () => {
  let lab: Lab;
  let bundle: TestBundle;
  let product: Product;
  let fixture: DeployFixture | undefined;

  beforeAll(async () => {
    fixture = await startDeployFixture(91, [
      {
        octet: 11,
        rootPassword: ROOT_PASSWORD,
        files: { '/etc/topke-standin/slow-kubectl-apply': SLOW_SECONDS },
      },
      {
        octet: 12,
        rootPassword: ROOT_PASSWORD,
        files: { '/etc/topke-standin/slow-kubeadm-init': SLOW_SECONDS },
      },
    ]);
    ({ lab, bundle, product } = fixture);
  });

  afterAll(() => fixture?.teardown());

  it('runs an idempotent step again after reconnecting, and the deploy succeeds', async () => {
    const master = lab.host(11);
    const { uuid } = await product.services.api.deploy(
      deployPlan('rc91a', [master], [], bundle.archive),
    );
    const firstRun = await slowCommandStarted(product, uuid, master, 'slow-kubectl-apply');
    expect(dropSshSessions(master).length).toBeGreaterThanOrEqual(1);

    const status = await waitForDeploy(product, uuid);
    expect(status.err_info).toBe('');
    expect(status.DeployStage.State).toBe('success');
    const step = status.steps.find((s) => s.step === 'network plugin')!;
    expect(step.state).toBe('ok');
    expect(step.output).toContain(
      `[the SSH connection to ${master.ip} dropped (channel closed without an exit status); ` +
        'reconnected, running the command again]',
    );
    // The repeat applied the manifest while the cut-off first run still waits.
    expect(step.output).toContain('daemonset/calico-node created');
    expect(running(firstRun)).toBe(true);
    const applies = master
      .exec('cat /var/lib/topke-standin/calls.log')
      .split('\n')
      .filter((line) => /^kubectl .* apply -f \/etc\/topke\/calico.yaml$/.test(line));
    expect(applies).toHaveLength(2);
    expect(running(master.sshdPid!)).toBe(true);
  });

  it('does not repeat kubeadm init, which is not idempotent, and says so', async () => {
    const master = lab.host(12);
    const { uuid } = await product.services.api.deploy(
      deployPlan('rc91b', [master], [], bundle.archive),
    );
    await slowCommandStarted(product, uuid, master, 'slow-kubeadm-init');
    expect(dropSshSessions(master).length).toBeGreaterThanOrEqual(1);

    const status = await waitForDeploy(product, uuid);
    expect(status.DeployStage.State).toBe('failed');
    expect(status.err_info).toContain(`${master.ip} (m-12) step "kubeadm init" failed`);
    expect(status.err_info).toContain('it was not repeated because the step is not safe to repeat');
    const step = status.steps.find((s) => s.step === 'kubeadm init')!;
    expect(step.state).toBe('failed');
    expect(step.output).not.toContain('reconnected');
    const inits = master
      .exec('cat /var/lib/topke-standin/calls.log')
      .split('\n')
      .filter((line) => line.startsWith('kubeadm init --config'));
    expect(inits).toHaveLength(1);
  });
});
