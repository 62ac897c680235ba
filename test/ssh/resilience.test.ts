import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SshSession, SshTarget } from '../../main/ssh/types.js';
import { createLab, type Lab, type LabHost } from '../lab/lab.js';
import { createSshFixture, expectSshError, type SshFixture } from './helpers.js';

/** Polls a condition on the host until it holds. */
async function waitFor(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A step that records each run in `runs`; on each of its first `holds` runs it records the pid
 * of its connection's sshd process (the first sshd above it) as `sshd.<run>.pid` and waits; run
 * again after that, it finishes at once. */
function interruptibleStep(name: string, holds = 1): string {
  const dir = `/tmp/${name}`;
  return [
    `mkdir -p ${dir}`,
    `echo run >> ${dir}/runs`,
    `n=$(wc -l < ${dir}/runs)`,
    `if [ $n -gt ${holds} ]; then echo resumed; exit 0; fi`,
    'p=$PPID',
    `while [ "$(cat /proc/$p/comm)" != sshd ]; do p=$(cut -d' ' -f4 /proc/$p/stat); done`,
    `echo $p > ${dir}/sshd.$n.pid`,
    'sleep 30',
  ].join('; ');
}

/** The pid of the sshd process serving the step's connection on its `run`th run, once that run
 * has started. */
async function sshdOf(host: LabHost, name: string, run = 1): Promise<string> {
  const file = `/tmp/${name}/sshd.${run}.pid`;
  await waitFor(
    () => host.exec(`cat ${file} 2>/dev/null || true`).trim() !== '',
    `run ${run} of the step to start`,
  );
  return host.exec(`cat ${file}`).trim();
}

/** Kills the sshd process that serves the step's connection on its `run`th run, cutting it. */
async function dropConnectionOf(host: LabHost, name: string, run = 1): Promise<void> {
  host.exec(`kill -KILL ${await sshdOf(host, name, run)}`);
}

/** Stops (SIGSTOP) the sshd process that serves the step's connection: the host goes silent
 * while the TCP connection stays up, as with a host that hangs or a link that loses everything.
 * Answers a function that lets the process go on again. */
async function silenceConnectionOf(host: LabHost, name: string): Promise<() => void> {
  const pid = await sshdOf(host, name);
  host.exec(`kill -STOP ${pid}`);
  return () => host.exec(`kill -CONT ${pid} 2>/dev/null || true`);
}

/** How many times the step has run on the host. */
function runsOf(host: LabHost, name: string): number {
  return host.readFile(`/tmp/${name}/runs`).split('\n').filter(Boolean).length;
}

describe('dropped connections, deadlines and bounds', () => {
  let lab: Lab;
  let fx: SshFixture;
  let target: SshTarget;

  beforeAll(() => {
    lab = createLab(26, [{ octet: 11, hostname: 'flaky', rootPassword: 'flaky-pw' }]);
    fx = createSshFixture();
    target = { host: lab.address(11), port: 22, user: 'root', password: 'flaky-pw' };
  });
  afterAll(async () => {
    await fx?.cleanup();
    lab?.teardown();
  });

  it('runs an idempotent step again on a new connection after the connection drops', async () => {
    const session = await fx.pool.session(target);
    const before = (await session.exec('echo $SSH_CONNECTION')).stdout;
    const step = session.exec(interruptibleStep('idem'), { idempotent: true });
    await dropConnectionOf(lab.host(11), 'idem');
    expect(await step).toEqual({ code: 0, stdout: 'resumed\n', stderr: '' });
    expect(runsOf(lab.host(11), 'idem')).toBe(2);
    const after = (await session.exec('echo $SSH_CONNECTION')).stdout;
    expect(after).not.toBe(before);
  });

  it('fails an idempotent step whose retry drops too, saying it was retried once', async () => {
    const session = await fx.pool.session(target);
    const reasons: string[] = [];
    const step = session.exec(interruptibleStep('twice', 2), {
      idempotent: true,
      onReconnect: (reason) => reasons.push(reason),
    });
    await dropConnectionOf(lab.host(11), 'twice', 1);
    await dropConnectionOf(lab.host(11), 'twice', 2);
    const err = await expectSshError(step, 'connection_lost');
    expect(err.details).toMatchObject({ retried: true, firstCause: reasons[0] });
    expect(reasons).toHaveLength(1);
    expect(err.message).toMatch(
      /^ssh root@198\.18\.26\.11:22: the connection dropped again while the command ran \(.+\): being safe to repeat, it had been retried once on a new connection after the first one failed \(.+\)\. Check the host and the network, then run the step again\.$/,
    );
    expect(err.message).not.toContain('not safe to repeat');
    expect(err.messageCn).toContain('连接再次中断');
    expect(err.messageCn).toContain('已在新连接上重试过一次');
    expect(runsOf(lab.host(11), 'twice')).toBe(2);
    expect((await session.exec('echo still usable')).stdout).toBe('still usable\n');
  });

  it('does not repeat a step that is not idempotent, and says so', async () => {
    const session = await fx.pool.session(target);
    const step = session.exec(interruptibleStep('once'));
    await dropConnectionOf(lab.host(11), 'once');
    const err = await expectSshError(step, 'connection_lost');
    expect(err.message).toContain('not safe to repeat');
    expect(runsOf(lab.host(11), 'once')).toBe(1);
    expect((await session.exec('echo still usable')).stdout).toBe('still usable\n');
  });

  describe('a host that goes silent in the middle of a command', () => {
    // Keepalives every 200 ms, three unanswered ones give the connection up. The commands have
    // the pool's default deadline (30 minutes): only the keepalives can end them within the
    // test's timeout.
    const silentPool = () => fx.newPool({ keepaliveIntervalMs: 200, keepaliveCountMax: 3 });
    const KEEPALIVE_LOST = 'the host stopped answering keepalives';

    it('runs an idempotent step again on a new connection', { timeout: 60_000 }, async () => {
      const session = await silentPool().session(target);
      const before = (await session.exec('echo $SSH_CONNECTION')).stdout;
      const reasons: string[] = [];
      const step = session.exec(interruptibleStep('silent-idem'), {
        idempotent: true,
        onReconnect: (reason) => reasons.push(reason),
      });
      const resume = await silenceConnectionOf(lab.host(11), 'silent-idem');
      try {
        expect(await step).toEqual({ code: 0, stdout: 'resumed\n', stderr: '' });
      } finally {
        resume();
      }
      expect(reasons).toEqual([KEEPALIVE_LOST]);
      expect(runsOf(lab.host(11), 'silent-idem')).toBe(2);
      expect((await session.exec('echo $SSH_CONNECTION')).stdout).not.toBe(before);
    });

    it(
      'fails a step that is not idempotent with connection_lost',
      { timeout: 60_000 },
      async () => {
        const session = await silentPool().session(target);
        const step = session.exec(interruptibleStep('silent-once'));
        const resume = await silenceConnectionOf(lab.host(11), 'silent-once');
        try {
          const err = await expectSshError(step, 'connection_lost');
          expect(err.details).toMatchObject({ cause: KEEPALIVE_LOST });
          expect(err.message).toContain(`(${KEEPALIVE_LOST}); it was not repeated`);
        } finally {
          resume();
        }
        expect(runsOf(lab.host(11), 'silent-once')).toBe(1);
        expect((await session.exec('echo still usable')).stdout).toBe('still usable\n');
      },
    );
  });

  it('stops a command at its deadline and keeps the connection', async () => {
    const session = await fx.pool.session(target);
    const err = await expectSshError(
      session.exec('sleep 30', { timeoutMs: 300 }),
      'command_timeout',
    );
    expect(err.details).toMatchObject({ timeoutMs: 300 });
    expect((await session.exec('echo alive')).stdout).toBe('alive\n');
  });

  it('runs at most maxSessions commands at once over the pool', async () => {
    const peak = async (session: SshSession, dir: string): Promise<number> => {
      const probe = `mkdir -p ${dir}; touch ${dir}/$$; ls ${dir} | wc -l; sleep 0.3; rm ${dir}/$$`;
      const counts = await Promise.all(Array.from({ length: 6 }, () => session.exec(probe)));
      return Math.max(...counts.map((r) => Number(r.stdout.trim())));
    };
    const bounded = await fx.newPool({ maxSessions: 2 }).session(target);
    const wide = await fx.newPool({ maxSessions: 6 }).session(target);
    expect(await peak(bounded, '/tmp/bounded')).toBeLessThanOrEqual(2);
    // The same probe does see more at once without the bound, so the bound is what held it.
    expect(await peak(wide, '/tmp/wide')).toBeGreaterThan(2);
  });
});
