import ipaddr from 'ipaddr.js';
import { DEFAULT_POD_CIDR, DEFAULT_SERVICE_CIDR } from '../contract/defaults.js';
import { invalidField } from '../contract/errors.js';
import { overlappingCidrs } from '../contract/networks.js';

/** The networks a cluster keeps for itself. */
interface ClusterNetworks {
  PodCidr: string;
  ServicePodCidr: string;
  vip: string | null;
}

/** A host's address with the request field that gave it, e.g. "master_list[1].IP". */
interface HostAddress {
  ip: string;
  field: string;
}

type CidrName = 'PodCidr' | 'ServicePodCidr';

const VIP_FIELD = 'ControlPlaneConfig.HAConfig.vip';
const DEFAULTS: Record<CidrName, string> = {
  PodCidr: DEFAULT_POD_CIDR,
  ServicePodCidr: DEFAULT_SERVICE_CIDR,
};

/** Where a deploy request and a cluster's stored settings name the networks (the same fields). */
interface NetworkSettings {
  PodCidr: string;
  ServicePodCidr: string;
  ControlPlaneConfig: { HAConfig?: { vip: string } | null | undefined };
}

function clusterNetworks(s: NetworkSettings): ClusterNetworks {
  return {
    PodCidr: s.PodCidr,
    ServicePodCidr: s.ServicePodCidr,
    vip: s.ControlPlaneConfig.HAConfig?.vip ?? null,
  };
}

function hostAddresses(list: string, entries: { IP: string }[]): HostAddress[] {
  return entries.map((entry, i) => ({ ip: entry.IP, field: `${list}[${i}].IP` }));
}

function inside(ip: string, cidr: string): boolean {
  return ipaddr.IPv4.parse(ip).match(ipaddr.IPv4.parseCIDR(cidr));
}

function checkCidrsApart(n: ClusterNetworks): void {
  const problem = overlappingCidrs(n.PodCidr, n.ServicePodCidr);
  if (problem) throw problem;
}

/** An address (a node's or the VIP) must be outside both networks: the cluster would route it to
 * a pod or a service. A default network is said to be one, as the request may not name it. */
function checkOutside(field: string, ip: string, isVip: boolean, n: ClusterNetworks): void {
  const [what, whatCn] = isVip ? ['the VIP', 'VIP '] : ["a node's address", '节点地址'];
  for (const name of ['PodCidr', 'ServicePodCidr'] as const) {
    const cidr = n[name];
    if (!inside(ip, cidr)) continue;
    const isDefault = cidr === DEFAULTS[name];
    const note = isDefault ? ` (the default when ${name} is left empty)` : '';
    const noteCn = isDefault ? `（${name} 留空时的默认值）` : '';
    throw invalidField(
      field,
      `${ip} is inside ${name} ${cidr}${note}: ${what} must be outside the cluster's pod and service networks`,
      `${ip} 位于 ${name} ${cidr} 内${noteCn}：${whatCn}必须在集群的容器组网段和服务网段之外`,
    );
  }
}

function checkVipUnused(vip: string, hosts: HostAddress[]): void {
  const host = hosts.find((h) => h.ip === vip);
  if (host)
    throw invalidField(
      VIP_FIELD,
      `${vip} is also the address of ${host.field}: the VIP must be an unused address on the masters' network`,
      `${vip} 同时是 ${host.field} 的地址：VIP 必须是管理节点网段内未被占用的地址`,
    );
}

/** A deploy's networks, checked before any host is reached: the pod and service networks apart,
 * every host outside both, and the VIP outside both and no host's address. Throws the first
 * problem, as request validation does. */
export function checkDeployNetworks(
  req: NetworkSettings & { master_list: { IP: string }[]; node_list: { IP: string }[] },
): void {
  const n = clusterNetworks(req);
  const hosts = [
    ...hostAddresses('master_list', req.master_list),
    ...hostAddresses('node_list', req.node_list),
  ];
  checkCidrsApart(n);
  for (const host of hosts) checkOutside(host.field, host.ip, false, n);
  if (!n.vip) return;
  checkVipUnused(n.vip, hosts);
  checkOutside(VIP_FIELD, n.vip, true, n);
}

/** The new nodes of a node create (its node_list) against the cluster's stored networks: each
 * outside the pod and service networks, and none on the cluster's VIP. */
export function checkNewNodeNetworks(cluster: NetworkSettings, nodeList: { IP: string }[]): void {
  const n = clusterNetworks(cluster);
  for (const host of hostAddresses('node_list', nodeList)) {
    if (host.ip === n.vip)
      throw invalidField(
        host.field,
        `${host.ip} is the cluster's VIP (${VIP_FIELD}): a node needs an address of its own`,
        `${host.ip} 是集群的 VIP（${VIP_FIELD}）：节点需要使用自己的地址`,
      );
    checkOutside(host.field, host.ip, false, n);
  }
}

/** Whether `ip` is the network or the broadcast address of `cidr` (a /31 or /32 has neither),
 * which no host can take. */
export function reservedAddressOf(ip: string, cidr: string): 'network' | 'broadcast' | null {
  if (ipaddr.IPv4.parseCIDR(cidr)[1] >= 31) return null;
  if (ipaddr.IPv4.networkAddressFromCIDR(cidr).toString() === ip) return 'network';
  if (ipaddr.IPv4.broadcastAddressFromCIDR(cidr).toString() === ip) return 'broadcast';
  return null;
}
