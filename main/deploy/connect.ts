import { asTopkeError } from '../contract/errors.js';
import type { DeployHost } from './hosts.js';
import { StepFailure, type RunContext } from './run.js';
import { StepOutput } from './step-output.js';

/** Logs in to a host (step "connect"); the session is kept for the deploy's other steps. */
export async function connectHost(run: RunContext, stage: number, host: DeployHost): Promise<void> {
  const at = { stage, host: host.ip, step: 'connect' };
  const id = run.rec.stepStarted(stage, host.ip, 'connect');
  const output = new StepOutput();
  try {
    const session = await run.pool.session(host.target);
    run.sessions.set(host.ip, session);
    output.add(`logged in as ${host.target.user} on port ${host.target.port}`);
    run.rec.stepFinished(id, at, 'ok', 0, output.text());
  } catch (err) {
    const e = asTopkeError(err);
    output.add(e.message);
    run.rec.stepFinished(id, at, 'failed', null, output.text(), e);
    throw new StepFailure(host, 'connect', null, run.rec.clean(e));
  }
}
