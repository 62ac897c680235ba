import type { Notice } from '../contract/results.js';

/** At most this many of the addresses are named; the rest are counted. */
const NAMED = 8;

function named(ips: string[], and: (more: number) => string, separator: string): string {
  const more = ips.length - NAMED;
  return ips.slice(0, NAMED).join(separator) + (more > 0 ? and(more) : '');
}

/** What a scan says of the addresses it could not probe: none of them is known to be free. */
export function unprobedWarning(ips: string[]): Notice[] {
  if (ips.length === 0) return [];
  const count = ips.length === 1 ? '1 address' : `${ips.length} addresses`;
  const en = named(ips, (more) => ` and ${more} more`, ', ');
  const cn = named(ips, (more) => ` 等，另有 ${more} 个`, '、');
  return [
    {
      message:
        `${count} could not be probed, so nothing is known of them: ` +
        "each time they were tried, the kernel's neighbour (ARP) table was full (other programs " +
        `or scans on this machine were filling it) and no packet went out: ${en}. Scan them again`,
      message_cn:
        `${ips.length} 个地址未能探测，无法得知其上是否有主机：每次尝试时内核的邻居（ARP）表都已满` +
        `（本机上的其他程序或扫描占满了它），探测包未能发出：${cn}。请重新扫描这些地址`,
    },
  ];
}
