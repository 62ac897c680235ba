import type { DeployHost } from './hosts.js';
import type { JoinTarget } from './join-command.js';
import {
  applyNetworkPlugin,
  createControlPlaneJoin,
  kubeadmInit,
  kubeadmJoin,
  writeInitConfig,
} from './kubeadm-steps.js';
import { writeKubeVip } from './kube-vip.js';
import { inParallel, inSequence, runStep, type RunContext } from './run.js';
import { STAGE } from './stages.js';
import type { StepName } from './step-names.js';

/** Stage "setup masters": kubeadm init on the first master with the generated configuration, the
 * network plugin, then the other masters join the control plane one by one. With HAConfig every
 * master runs kube-vip: the first from before init (the controlPlaneEndpoint must answer during
 * init), the others from right after their join (kubeadm join refuses a non-empty
 * /etc/kubernetes/manifests, and the first master holds the VIP meanwhile). */
export async function setupMasters(run: RunContext, masters: DeployHost[]): Promise<void> {
  const [first, ...others] = masters as [DeployHost, ...DeployHost[]];
  const step = (host: DeployHost, name: StepName, body: Parameters<typeof runStep>[4]) =>
    runStep(run, STAGE.masters, host, name, body);
  const kubeVip = run.plan.kubeVip;
  await inParallel(run, STAGE.masters, [first], async (h) => {
    await step(h, 'kubeadm config', (r) => writeInitConfig(r, run.plan));
    if (kubeVip) await step(h, 'kube-vip', (r) => writeKubeVip(r, kubeVip, h, true));
    await step(h, 'kubeadm init', (r) => kubeadmInit(r));
    await step(h, 'network plugin', (r) => applyNetworkPlugin(r, run.plan));
  });
  if (others.length === 0) return;

  let target: JoinTarget | undefined;
  await inParallel(run, STAGE.masters, [first], (h) =>
    step(h, 'control-plane join command', async (r) => {
      target = await createControlPlaneJoin(r, run.plan.certificateKey);
    }),
  );
  await inSequence(run, STAGE.masters, others, async (h) => {
    await step(h, 'join control plane', (r) => kubeadmJoin(r, h, target!, run.plan.certificateKey));
    if (kubeVip) await step(h, 'kube-vip', (r) => writeKubeVip(r, kubeVip, h, false));
  });
}
