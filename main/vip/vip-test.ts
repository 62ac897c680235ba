import { TopkeError } from '../contract/errors.js';
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

/** Checks that nothing answers at the VIP: neither ICMP echo nor a TCP connection to the port
 * (a refused connection also means some host owns the address). Resolves when the VIP is free;
 * throws `vip_in_use` naming what answered. Port 6443 is refused earlier, by the schema. */
export async function testVip(
  vip: string,
  port: number,
  options: VipProbeOptions = {},
): Promise<null> {
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
