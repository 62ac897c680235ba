import { checkResult, worded } from '../result.js';
import type { HostReading } from '../reading.js';
import type { CheckResult } from '../types.js';
import { MASTER_PORTS, NODE_PORT_RANGE, WORKER_PORTS } from '../thresholds.js';

const PORTS = { label: 'Ports Kubernetes needs', labelCn: 'Kubernetes 所需端口' };

/** Ports the node's components will listen on (6443, etcd, kubelet...) and the NodePort range
 * must be free: something listening there stops kubeadm or a Service. */
export function checkPorts(r: HostReading): CheckResult[] {
  const needed = r.role === 'master' ? MASTER_PORTS : WORKER_PORTS;
  const [low, high] = NODE_PORT_RANGE;
  const listening = r.facts.listeningPorts;
  const busy = listening.filter((p) => needed.includes(p) || (p >= low && p <= high));
  if (busy.length === 0) {
    const free = worded(
      `${needed.join(', ')} and ${low}-${high} free`,
      `${needed.join(', ')} 及 ${low}-${high} 均空闲`,
    );
    return [checkResult(r.ip, 'ports', 'pass', free, PORTS)];
  }
  const list = busy.join(', ');
  return [
    checkResult(r.ip, 'ports', 'fail', worded(`in use: ${list}`, `已被占用：${list}`), {
      ...PORTS,
      fix: `stop what listens on ${list} (ss -ltnp shows which process), or choose another host`,
      fixCn: `请停止监听 ${list} 的程序（ss -ltnp 可显示进程），或换一台主机`,
    }),
  ];
}
