import { checkResult, formatBytes, worded } from '../result.js';
import type { HostReading } from '../reading.js';
import type { CheckResult } from '../types.js';

const SWAP = { label: 'Swap', labelCn: '交换分区' };

/** The kubelet refuses to start with swap on (its default failSwapOn); swap in /etc/fstab comes
 * back at the next boot. Both are fixed by the fix action. */
export function checkSwap(r: HostReading): CheckResult[] {
  const active = r.facts.swaps;
  const boot = r.facts.fstabSwap;
  if (active.length > 0) {
    const total = active.reduce((sum, s) => sum + s.bytes, 0);
    const devices = active.map((s) => s.device);
    const value = worded(
      `${formatBytes(total)} on ${devices.join(', ')}`,
      `${devices.join('、')} 上共 ${formatBytes(total)}`,
    );
    return [
      checkResult(
        r.ip,
        'swap',
        'fail',
        value,
        {
          ...SWAP,
          fix: 'turn swap off (swapoff -a) and comment its lines out of /etc/fstab; the fix action does both',
          fixCn: '关闭交换分区（swapoff -a）并在 /etc/fstab 中注释掉相应行；“修复”操作会完成这两步',
        },
        true,
      ),
    ];
  }
  if (boot.length > 0) {
    return [
      checkResult(
        r.ip,
        'swap',
        'warn',
        worded(
          `off, but /etc/fstab turns on ${boot.join(', ')} at boot`,
          `已关闭，但 /etc/fstab 会在开机时启用 ${boot.join('、')}`,
        ),
        {
          ...SWAP,
          fix: 'comment the swap lines out of /etc/fstab, or the kubelet stops after a reboot; the fix action does it',
          fixCn:
            '请在 /etc/fstab 中注释掉交换分区的行，否则重启后 kubelet 将无法运行；“修复”操作会完成此步',
        },
        true,
      ),
    ];
  }
  return [checkResult(r.ip, 'swap', 'pass', worded('off', '已关闭'), SWAP)];
}
