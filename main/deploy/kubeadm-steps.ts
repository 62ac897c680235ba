import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { shellCommand } from '../ssh/quote.js';
import { calicoWithPodCidr } from './calico.js';
import type { DeployHost } from './hosts.js';
import { writeHostFiles } from './host-files.js';
import { parseJoinCommand, type JoinTarget } from './join-command.js';
import { CRI_SOCKET, renderKubeadmConfig } from './kubeadm-config.js';
import { BIN_DIR } from './node-install.js';
import type { DeployPlan } from './plan.js';
import { CommandFailed, type Remote } from './remote.js';
import type { StepResult } from './run.js';

export const KUBEADM = `${BIN_DIR}/kubeadm`;
export const KUBECTL = `${BIN_DIR}/kubectl`;
export const ADMIN_CONF = '/etc/kubernetes/admin.conf';
const INIT_CONFIG = '/etc/topke/kubeadm-init.yaml';
const CALICO_FILE = '/etc/topke/calico.yaml';
/** kubeadm init and join pull images and wait for the control plane: minutes on a slow node. */
const KUBEADM_TIMEOUT = 20 * 60_000;

/** The kubeadm configuration, certificate key included, root-readable only. */
export async function writeInitConfig(remote: Remote, plan: DeployPlan): Promise<void> {
  if (!plan.kubeadm) throw new Error('a deploy plan without kubeadm settings');
  await writeHostFiles(
    remote,
    [
      {
        path: INIT_CONFIG,
        content: renderKubeadmConfig(plan.kubeadm, plan.certificateKey),
        mode: 0o600,
      },
    ],
    `write ${INIT_CONFIG}`,
  );
  remote.output.add(renderKubeadmConfig(plan.kubeadm));
}

/** `kubeadm init` on the first master, unless a previous run already did it. */
export async function kubeadmInit(remote: Remote): Promise<StepResult> {
  if (await remote.succeeds(`test -f ${ADMIN_CONF}`)) {
    remote.output.add(`${ADMIN_CONF} exists: this master is already initialized`);
    return 'skipped';
  }
  // Not idempotent: cut off midway, init may have written part of /etc/kubernetes, and a second
  // init fails on it (or on the ports the first one's control plane holds). The check above only
  // guards a later deploy, after an init that finished.
  await remote.run(`${KUBEADM} init --config ${INIT_CONFIG} --upload-certs`, {
    timeoutMs: KUBEADM_TIMEOUT,
  });
  await remote.run(`mkdir -p /root/.kube && install -m 0600 ${ADMIN_CONF} /root/.kube/config`, {
    idempotent: true,
  });
  return 'ok';
}

/** The network plugin (Calico) with the request's pod CIDR, applied with kubectl. */
export async function applyNetworkPlugin(remote: Remote, plan: DeployPlan): Promise<void> {
  const source = await readFile(join(plan.bundle.root, 'manifests', 'calico.yaml'), 'utf8');
  const manifest = calicoWithPodCidr(source, plan.settings.PodCidr);
  if (manifest === null) {
    remote.output.add(
      'manifests/calico.yaml has no calico-node DaemonSet to set CALICO_IPV4POOL_CIDR on',
    );
    throw new CommandFailed(
      1,
      'set the pod CIDR in manifests/calico.yaml',
      '在 manifests/calico.yaml 中设置 Pod CIDR',
    );
  }
  await writeHostFiles(remote, [{ path: CALICO_FILE, content: manifest, mode: 0o644 }]);
  await remote.run(`${KUBECTL} --kubeconfig ${ADMIN_CONF} apply -f ${CALICO_FILE}`, {
    idempotent: true,
  });
}

async function readJoinCommand(
  remote: Remote,
  command: string,
  label: string,
): Promise<JoinTarget> {
  // A repeat only makes one more bootstrap token (they expire), so it is safe after a drop.
  const result = await remote.run(command, { label, quiet: true, idempotent: true });
  const target = parseJoinCommand(result.stdout);
  if (!target) {
    remote.output.add(result.stderr || 'no "kubeadm join" line in the output');
    throw new CommandFailed(
      result.code,
      `${label}: no join command in the output`,
      `${label}：输出中没有 join 命令`,
    );
  }
  remote.output.add(`join endpoint ${target.endpoint}, CA hash ${target.caCertHash}`);
  return target;
}

/** A fresh bootstrap token and the join command, printed by the first master. */
export function createJoinCommand(remote: Remote): Promise<JoinTarget> {
  return readJoinCommand(
    remote,
    `${KUBEADM} token create --print-join-command`,
    'kubeadm token create --print-join-command',
  );
}

/** Uploads the control-plane certificates again under our certificate key (they expire after two
 * hours in the cluster), then a fresh join command. */
export async function createControlPlaneJoin(
  remote: Remote,
  certificateKey: string,
): Promise<JoinTarget> {
  await remote.run(
    shellCommand(
      KUBEADM,
      'init',
      'phase',
      'upload-certs',
      '--upload-certs',
      '--certificate-key',
      certificateKey,
    ),
    {
      label: 'kubeadm init phase upload-certs --upload-certs --certificate-key [secret]',
      quiet: true,
      idempotent: true,
    },
  );
  return createJoinCommand(remote);
}

/** `kubeadm join` of a worker, or of a master with --control-plane; skipped on a host that has
 * already joined (its kubelet.conf exists). */
export async function kubeadmJoin(
  remote: Remote,
  host: DeployHost,
  target: JoinTarget,
  certificateKey?: string,
): Promise<StepResult> {
  if (await remote.succeeds('test -f /etc/kubernetes/kubelet.conf')) {
    remote.output.add('/etc/kubernetes/kubelet.conf exists: this node has already joined');
    return 'skipped';
  }
  const words = [
    KUBEADM,
    'join',
    target.endpoint,
    '--token',
    target.token,
    '--discovery-token-ca-cert-hash',
    target.caCertHash,
  ];
  words.push('--node-name', host.nodeName, '--cri-socket', CRI_SOCKET);
  if (certificateKey)
    words.push(
      '--control-plane',
      '--certificate-key',
      certificateKey,
      '--apiserver-advertise-address',
      host.ip,
    );
  const label = shellCommand(...words)
    .replace(target.token, '[token]')
    .replace(certificateKey ?? '\0', '[secret]');
  // Not idempotent, like init: a second join fails on what a cut-off first one left behind.
  await remote.run(shellCommand(...words), { label, timeoutMs: KUBEADM_TIMEOUT });
  return 'ok';
}
