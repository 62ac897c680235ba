import { connectHost } from './connect.js';
import type { DeployHost } from './hosts.js';
import type { JoinTarget } from './join-command.js';
import { createJoinCommand, kubeadmJoin } from './kubeadm-steps.js';
import { inParallel, runStep, type RunContext } from './run.js';
import { HOST_STATE, STAGE } from './stages.js';

/** Stage "setup workers": a fresh join command from the first master, then every worker joins at
 * once. Returns the workers that joined (the budget decides whether the others stop the deploy). */
export async function setupWorkers(
  run: RunContext,
  first: DeployHost,
  workers: DeployHost[],
): Promise<DeployHost[]> {
  if (workers.length === 0) return [];
  if (!run.sessions.has(first.ip))
    await inParallel(run, STAGE.workers, [first], (h) => connectHost(run, STAGE.workers, h));
  let target: JoinTarget | undefined;
  await inParallel(run, STAGE.workers, [first], (h) =>
    runStep(run, STAGE.workers, h, 'worker join command', async (r) => {
      target = await createJoinCommand(r);
    }),
  );
  return inParallel(run, STAGE.workers, workers, async (h) => {
    await runStep(run, STAGE.workers, h, 'join cluster', (r) => kubeadmJoin(r, h, target!));
    run.rec.hostMessage(STAGE.workers, h.ip, HOST_STATE.done);
  });
}
