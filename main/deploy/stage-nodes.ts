import { pushBundle, verifyBundleOnHost } from './bundle-push.js';
import { connectHost } from './connect.js';
import type { DeployHost } from './hosts.js';
import {
  configureKernel,
  configureRuntime,
  importImages,
  installBinaries,
  installUnits,
} from './node-install.js';
import { preflightHosts } from './preflight-step.js';
import { inParallel, runStep, StepFailure, type RunContext } from './run.js';
import { HOST_STATE, STAGE } from './stages.js';
import type { StepName } from './step-names.js';

async function installNode(run: RunContext, host: DeployHost): Promise<void> {
  const { bundle, registry } = run.plan;
  const pause = bundle.manifest.components.pause ?? '3.9';
  const step = (name: StepName, body: Parameters<typeof runStep>[4]) =>
    runStep(run, STAGE.nodes, host, name, body);
  await step('upload bundle', (r) => pushBundle(r, bundle));
  await step('verify bundle', (r) => verifyBundleOnHost(r, bundle));
  await step('install binaries', (r) => installBinaries(r, bundle));
  await step('install systemd units', (r) => installUnits(r));
  await step('kernel settings', (r) => configureKernel(r));
  await step('container runtime', (r) => configureRuntime(r, registry, pause));
  await step('import images', (r) => importImages(r, bundle));
}

/** Stage "init node status": log in everywhere, preflight, then on every host at once push and
 * verify the bundle and install the node's software. Returns the hosts that are ready. */
export async function prepareNodes(
  run: RunContext,
  hosts: DeployHost[],
  ownNodes: Set<string>,
): Promise<DeployHost[]> {
  for (const h of hosts) run.rec.hostMessage(STAGE.nodes, h.ip, HOST_STATE.working);
  const connected = await inParallel(run, STAGE.nodes, hosts, (h) =>
    connectHost(run, STAGE.nodes, h),
  );
  try {
    await preflightHosts(run, STAGE.nodes, connected, ownNodes);
  } catch (err) {
    if (err instanceof StepFailure) {
      run.budget.fatal ??= err;
      run.rec.hostMessage(STAGE.nodes, err.host.ip, HOST_STATE.failed);
    }
    throw err;
  }
  return inParallel(run, STAGE.nodes, connected, (h) => installNode(run, h));
}
