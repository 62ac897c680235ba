import type { OperationInput } from '../../../main/contract/operations.js';
import { hostsWithRole, type SshForm, type WizardForm } from './form.js';

type DeployInput = OperationInput<'deploy'>;
type PreflightInput = OperationInput<'preflight'>;
type ScanInput = OperationInput<'hostScan'>;
type SshInput = NonNullable<DeployInput['ssh']>;
type NodeEntryInput = DeployInput['master_list'][number];

/** Only what the engineer filled in; empty secrets are left out rather than sent as "". */
export function sshCredentials(ssh: SshForm): SshInput {
  const out: SshInput = { user: ssh.user.trim() || 'root' };
  if (ssh.port) out.port = ssh.port;
  if (ssh.auth === 'password' && ssh.password) out.password = ssh.password;
  if (ssh.auth === 'key' && ssh.privateKey) out.private_key = ssh.privateKey;
  if (ssh.auth === 'key' && ssh.passphrase) out.passphrase = ssh.passphrase;
  if (ssh.sudoPassword) out.sudo_password = ssh.sudoPassword;
  return out;
}

/** A master_list or node_list entry: a host opted in to legacy algorithms carries its own `ssh`
 * saying so, which the request's `ssh` fills in with the rest of the login. */
function nodeEntry(form: WizardForm, IP: string): NodeEntryInput {
  return form.legacyHosts[IP] ? { IP, ssh: { legacy_algorithms: true } } : { IP };
}

/** The login test's probes: the hosts with legacy algorithms apart, since a scan request has one
 * `ssh` for all its targets. */
export function loginProbes(form: WizardForm, ips: string[]): ScanInput[] {
  const ssh = sshCredentials(form.ssh);
  const legacy = ips.filter((ip) => form.legacyHosts[ip]);
  const plain = ips.filter((ip) => !form.legacyHosts[ip]);
  return [
    ...(plain.length > 0 ? [{ targets: plain, ssh }] : []),
    ...(legacy.length > 0 ? [{ targets: legacy, ssh: { ...ssh, legacy_algorithms: true } }] : []),
  ];
}

function registry(form: WizardForm): DeployInput['RegistryConfig'] {
  const r = form.settings.registry;
  if (!r.address.trim()) return null;
  return { RegistryAddress: r.address, Project: r.project, User: r.user, Password: r.password };
}

/** The spec's deploy request (with the ssh and bundle_path extensions) from the wizard's form. */
export function buildDeployRequest(form: WizardForm): DeployInput {
  const s = form.settings;
  return {
    name: s.name.trim(),
    desc: s.desc,
    cluster_node_scale: s.nodeScale,
    master_list: hostsWithRole(form, 'master').map((IP) => nodeEntry(form, IP)),
    node_list: hostsWithRole(form, 'worker').map((IP) => nodeEntry(form, IP)),
    KubernetesVersion: s.kubernetesVersion.trim(),
    PodCidr: s.podCidr.trim(),
    ServicePodCidr: s.serviceCidr.trim(),
    ControlPlaneConfig: {
      KubeProxyConfig: { Mode: s.proxyMode },
      HAConfig: form.ha.enabled ? { vip: form.ha.vip.trim(), port: form.ha.port ?? 0 } : null,
    },
    RegistryConfig: registry(form),
    ssh: sshCredentials(form.ssh),
    bundle_path: s.bundlePath.trim(),
  };
}

/** The preflight request for the same plan: hosts, login, bundle and version. */
export function buildPreflightRequest(form: WizardForm): PreflightInput {
  const deploy = buildDeployRequest(form);
  const input: PreflightInput = {
    master_list: deploy.master_list,
    node_list: deploy.node_list,
    ssh: deploy.ssh,
  };
  if (deploy.bundle_path) input.bundle_path = deploy.bundle_path;
  if (deploy.KubernetesVersion) input.KubernetesVersion = deploy.KubernetesVersion;
  return input;
}
