import { TopkeError } from '../contract/errors.js';
import type { ServiceContext } from '../context.js';
import type { SshPool, SshSession } from '../ssh/types.js';
import { same, type Bilingual } from './bilingual.js';
import type { DeployHost } from './hosts.js';
import type { DeployPlan } from './plan.js';
import type { DeployRecorder } from './recorder.js';
import { CommandFailed, Remote } from './remote.js';
import { HOST_STATE } from './stages.js';
import { LiveOutput } from './live-output.js';
import type { StepOutput } from './step-output.js';
import { stepNameCn, type StepName } from './step-names.js';

function failedCn(host: DeployHost, step: string, exitCode: number | null, detail: string): string {
  const cn = stepNameCn(step);
  // The English name follows in parentheses, unless the Chinese one holds it already.
  const name = cn.includes(step) ? `“${cn}”` : `“${cn}”（${step}）`;
  const code = exitCode !== null ? `，退出码 ${exitCode}` : '';
  return `${host.ip}（${host.nodeName}）的步骤${name}失败${code}：${detail}`;
}

/** A step on a host failed: which host, which step, the exit code and the end of the output, in
 * English (`message`) and Chinese (`messageCn`). */
export class StepFailure extends Error implements Bilingual {
  readonly messageCn: string;

  constructor(
    readonly host: DeployHost,
    readonly step: string,
    readonly exitCode: number | null,
    detail: Bilingual,
  ) {
    super(
      `${host.ip} (${host.nodeName}) step "${step}" failed${exitCode !== null ? ` with exit code ${exitCode}` : ''}: ${detail.message}`,
    );
    this.messageCn = failedCn(host, step, exitCode, detail.messageCn);
  }
}

/** The deploy was stopped (another host failed, or the service is closing); not a failure of its own. */
export class Stopped extends Error {}

/** Failed workers the deploy may leave behind (max_not_failure_worker_node_num); none for masters. */
export class FailureBudget {
  readonly failures: StepFailure[] = [];
  fatal: StepFailure | null = null;

  constructor(private readonly maxWorkers: number) {}

  /** Records a failure; returns false when the deploy must stop. */
  absorb(failure: StepFailure): boolean {
    this.failures.push(failure);
    const workers = this.failures.filter((f) => f.host.role === 'worker').length;
    if (failure.host.role === 'master' || workers > this.maxWorkers) this.fatal ??= failure;
    return this.fatal === null;
  }
}

export interface RunContext {
  plan: DeployPlan;
  rec: DeployRecorder;
  pool: SshPool;
  sessions: Map<string, SshSession>;
  budget: FailureBudget;
  /** Set when the service closes. */
  signal: AbortSignal;
  services: ServiceContext;
}

export type StepResult = 'ok' | 'skipped';

function checkGoing(run: RunContext): void {
  if (run.budget.fatal || run.signal.aborted) throw new Stopped();
}

interface Described {
  exitCode: number | null;
  /** The step's own error, beside its output. */
  error: Bilingual;
  /** What the deploy's err_info says of it: for a command, its label and the output's tail. */
  detail: Bilingual;
}

function describe(err: unknown, output: StepOutput): Described {
  if (err instanceof CommandFailed) {
    // The label leads the detail: its "$ label" line in the output would say it twice.
    const echo = `$ ${err.label}`;
    const tail = output
      .lastLines()
      .split('\n')
      .filter((line) => line !== echo)
      .join('\n');
    const detail = { message: `${err.label}\n${tail}`, messageCn: `${err.labelCn}\n${tail}` };
    return { exitCode: err.exitCode, error: err, detail };
  }
  if (err instanceof TopkeError) return { exitCode: null, error: err, detail: err };
  // Not an expected failure: its text is the system's own, in one language.
  const text = same(err instanceof Error ? err.message : String(err));
  return { exitCode: null, error: text, detail: text };
}

/** Runs one recorded step on one host: its start, end, result, exit code and output go to the
 * database as they happen (the output while it grows, see LiveOutput). Throws StepFailure when
 * the step fails. */
export async function runStep(
  run: RunContext,
  stage: number,
  host: DeployHost,
  name: StepName,
  body: (remote: Remote) => Promise<StepResult | void>,
): Promise<void> {
  checkGoing(run);
  const at = { stage, host: host.ip, step: name };
  const id = run.rec.stepStarted(stage, host.ip, name);
  const live = new LiveOutput(run.rec, id, at);
  const output = live.output;
  try {
    const session = run.sessions.get(host.ip);
    if (!session) throw new Error(`no SSH session to ${host.ip}`);
    const result = (await body(new Remote(host, session, output))) ?? 'ok';
    live.end();
    run.rec.stepFinished(id, at, result, 0, output.text());
  } catch (err) {
    const { exitCode, error, detail } = describe(err, output);
    if (!(err instanceof CommandFailed)) output.add(detail.message);
    live.end();
    run.rec.stepFinished(id, at, 'failed', exitCode, output.text(), error);
    if (!(err instanceof CommandFailed || err instanceof TopkeError))
      run.services.log.error(
        { err, host: host.ip, step: name },
        'deploy step raised an unexpected error',
      );
    throw new StepFailure(host, name, exitCode, run.rec.clean(detail));
  }
}

/** Runs `work` on every host at once. A failure the budget cannot absorb stops the other hosts
 * before their next step and is thrown once all have stopped; returns the hosts that went through. */
export async function inParallel(
  run: RunContext,
  stage: number,
  hosts: DeployHost[],
  work: (host: DeployHost) => Promise<void>,
): Promise<DeployHost[]> {
  const passed = await Promise.all(
    hosts.map(async (host) => {
      try {
        await work(host);
        return host;
      } catch (err) {
        // Cut off by the deploy's stop (the service closing), not failed: the host is settled as
        // stopped with the others when the deploy ends.
        if (err instanceof Stopped || run.signal.aborted) return null;
        const failure =
          err instanceof StepFailure
            ? err
            : new StepFailure(host, 'unknown', null, same(String(err)));
        run.budget.absorb(failure);
        run.rec.hostMessage(stage, host.ip, HOST_STATE.failed);
        return null;
      }
    }),
  );
  if (run.budget.fatal) throw run.budget.fatal;
  if (run.signal.aborted) throw new Stopped();
  return passed.filter((h): h is DeployHost => h !== null);
}

/** Runs `work` on each host in turn (control-plane joins go one by one). */
export async function inSequence(
  run: RunContext,
  stage: number,
  hosts: DeployHost[],
  work: (host: DeployHost) => Promise<void>,
): Promise<void> {
  for (const host of hosts) await inParallel(run, stage, [host], work);
}
