import ipaddr from 'ipaddr.js';
import { TopkeError } from '../contract/errors.js';
import type { DeployHost } from './hosts.js';
import { writeHostFiles } from './host-files.js';
import {
  KUBE_VIP_MANIFEST,
  kubeVipKubeconfig,
  renderKubeVipManifest,
} from './kube-vip-manifest.js';
import { reservedAddressOf } from './plan-checks.js';
import type { Remote } from './remote.js';
import type { StepResult } from './run.js';

/** The VIP of an HA control plane, as every master's kube-vip announces it. */
export interface KubeVipSettings {
  vip: string;
  port: number;
  image: string;
  kubernetesVersion: string;
}

/** kube-vip's load balancer is IPVS with NAT: loaded now and at every boot. */
const IPVS_MODULES = ['ip_vs', 'ip_vs_rr', 'nf_conntrack'];
const IPVS_MODULES_FILE = '/etc/modules-load.d/topke-kube-vip.conf';

/** The interface (and its prefix length) that carries `ip`, from `ip -o -4 addr show`, whose
 * lines read "2: eth0    inet 10.0.0.5/24 brd ... scope global eth0 ...". */
export function interfaceCarrying(
  ipOutput: string,
  ip: string,
): { name: string; prefix: number } | null {
  for (const line of ipOutput.split('\n')) {
    const m = /^\d+:\s+(\S+)\s+inet\s+([\d.]+)\/(\d+)/.exec(line);
    if (m && m[2] === ip) return { name: m[1]!.replace(/@.*$/, ''), prefix: Number(m[3]) };
  }
  return null;
}

function vipFailure(message: string, messageCn: string): TopkeError {
  return new TopkeError({
    code: 'deploy_failed',
    field: 'ControlPlaneConfig.HAConfig.vip',
    message,
    messageCn,
  });
}

/** Finds where the VIP is announced: the interface of the master's own address, whose network
 * must hold the VIP (ARP answers only on the local network). */
async function vipInterface(remote: Remote, host: DeployHost, vip: string): Promise<string> {
  const result = await remote.run('ip -o -4 addr show');
  const found = interfaceCarrying(result.stdout, host.ip);
  if (!found)
    throw vipFailure(
      `no network interface of this host carries ${host.ip}, the address it was given`,
      `该主机没有网卡配置地址 ${host.ip}（部署请求中的地址）`,
    );
  const network = `${host.ip}/${found.prefix}`;
  if (!ipaddr.parse(vip).match(ipaddr.parseCIDR(network)))
    throw vipFailure(
      `the VIP ${vip} is outside ${network}, the network of ${found.name}: kube-vip announces it by ARP there only`,
      `VIP ${vip} 不在网卡 ${found.name} 所在网段 ${network} 内：kube-vip 只能在该网段内通过 ARP 通告`,
    );
  // Only here is the prefix known: the request gives addresses, not the hosts' networks.
  const reserved = reservedAddressOf(vip, network);
  if (reserved)
    throw vipFailure(
      `the VIP ${vip} is the ${reserved} address of ${network}, the network of ${found.name}: no host can take it`,
      `VIP ${vip} 是网卡 ${found.name} 所在网段 ${network} 的${reserved === 'network' ? '网络' : '广播'}地址，不能用作主机地址`,
    );
  remote.output.add(`the VIP is announced on ${found.name} (${network})`);
  return found.name;
}

/** Writes the kube-vip static pod of a master (the first one before `kubeadm init`, so that the
 * controlPlaneEndpoint answers during init; the others once they have joined) and loads IPVS. */
export async function writeKubeVip(
  remote: Remote,
  settings: KubeVipSettings,
  host: DeployHost,
  initializing: boolean,
): Promise<StepResult> {
  const name = await vipInterface(remote, host, settings.vip);
  await writeHostFiles(remote, [
    { path: IPVS_MODULES_FILE, content: `${IPVS_MODULES.join('\n')}\n`, mode: 0o644 },
  ]);
  await remote.run(`modprobe -a ${IPVS_MODULES.join(' ')}`);
  const manifest = renderKubeVipManifest({
    vip: settings.vip,
    port: settings.port,
    interface: name,
    image: settings.image,
    nodeName: host.nodeName,
    kubeconfig: kubeVipKubeconfig(settings.kubernetesVersion, initializing),
  });
  const written = await writeHostFiles(remote, [
    { path: KUBE_VIP_MANIFEST, content: manifest, mode: 0o600 },
  ]);
  remote.output.add(manifest);
  return written.length > 0 ? 'ok' : 'skipped';
}
