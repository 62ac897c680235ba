import { networkInterfaces } from 'node:os';
import ipaddr from 'ipaddr.js';
import { invalidField, TopkeError } from '../contract/errors.js';
import { pingAlive } from '../scan/icmp.js';
import { connectWithin } from '../scan/tcp-probe.js';

export interface VipProbeOptions {
  timeoutMs?: number;
}

function inUse(vip: string, port: number, answers: string[], answersCn: string[]): TopkeError {
  return new TopkeError({
    code: 'vip_in_use',
    field: 'vip',
    message: `vip: ${vip} is already in use: ${answers.join(', and ')}; choose a free address`,
    messageCn: `vip：${vip} 已被占用：${answersCn.join('，且')}；请选择一个空闲地址`,
    details: { vip, port },
  });
}

function noRoute(vip: string): TopkeError {
  return new TopkeError({
    code: 'unreachable',
    field: 'vip',
    message: `vip: cannot test ${vip}: this machine has no route to its network or may not connect to it`,
    messageCn: `vip：无法测试 ${vip}：本机没有到该网络的路由或无法连接`,
  });
}

/** The network this machine is on whose network or broadcast address the VIP is, if any: no
 * host can hold those, so neither can a VIP (the masters' own network is checked again on them,
 * before kube-vip is set up). */
function subnetEdge(vip: string): { cidr: string; which: 'network' | 'broadcast' } | null {
  for (const address of Object.values(networkInterfaces()).flat()) {
    if (!address || address.family !== 'IPv4' || address.internal || !address.cidr) continue;
    if (Number(address.cidr.split('/')[1]) > 30) continue;
    if (ipaddr.IPv4.networkAddressFromCIDR(address.cidr).toString() === vip)
      return { cidr: address.cidr, which: 'network' };
    if (ipaddr.IPv4.broadcastAddressFromCIDR(address.cidr).toString() === vip)
      return { cidr: address.cidr, which: 'broadcast' };
  }
  return null;
}

function refuseSubnetEdge(vip: string): void {
  const edge = subnetEdge(vip);
  if (!edge) return;
  const network = ipaddr.IPv4.networkAddressFromCIDR(edge.cidr).toString();
  const net = `${network}/${edge.cidr.split('/')[1]}`;
  const cn = edge.which === 'network' ? '网络地址' : '广播地址';
  throw invalidField(
    'vip',
    `${vip} is the ${edge.which} address of ${net}, a network this machine is on: no host can have it`,
    `${vip} 是本机所在网络 ${net} 的${cn}，不能作为主机地址`,
  );
}

/** Checks that nothing answers at the VIP: neither ICMP echo nor a TCP connection to the port
 * (a refused connection also means some host owns the address). Resolves when the VIP is free;
 * throws `vip_in_use` naming what answered. Port 6443 is refused earlier, by the schema. */
export async function testVip(
  vip: string,
  port: number,
  options: VipProbeOptions = {},
): Promise<null> {
  refuseSubnetEdge(vip);
  const timeoutMs = options.timeoutMs ?? 1500;
  const [alive, tcp] = await Promise.all([
    pingAlive(vip, timeoutMs),
    connectWithin(vip, port, timeoutMs),
  ]);
  tcp.socket?.destroy();
  const answers: string[] = [];
  const answersCn: string[] = [];
  if (alive) {
    answers.push('it answers ping');
    answersCn.push('它响应 ping');
  }
  if (tcp.outcome === 'open') {
    answers.push(`port ${port} accepts connections`);
    answersCn.push(`端口 ${port} 接受连接`);
  } else if (tcp.outcome === 'refused') {
    answers.push(`a host at this address refused port ${port}`);
    answersCn.push(`该地址上的主机拒绝了端口 ${port} 的连接`);
  }
  if (answers.length > 0) throw inUse(vip, port, answers, answersCn);
  if (tcp.outcome === 'no_route' || tcp.outcome === 'error') throw noRoute(vip);
  return null;
}
