/** IPv4 blocks that no host of a cluster can hold (RFC 6890): a scan target, a node or a VIP in
 * one of them is a typo or a misunderstanding, never a machine. Private, shared (100.64/10) and
 * test ranges (198.18/15, documentation) stay usable: clusters and labs live there. */
interface UnusableBlock {
  cidr: string;
  first: number;
  last: number;
  en: string;
  cn: string;
}

function block(cidr: string, en: string, cn: string): UnusableBlock {
  const [base = '', bits = '0'] = cidr.split('/');
  const first = base.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
  return { cidr, first, last: first + 2 ** (32 - Number(bits)) - 1, en, cn };
}

const UNUSABLE: readonly UnusableBlock[] = [
  block('0.0.0.0/8', '"this network" (0.0.0.0/8)', '“本网络”地址段（0.0.0.0/8）'),
  block(
    '127.0.0.0/8',
    'loopback (127.0.0.0/8), always this machine',
    '环回地址段（127.0.0.0/8），始终指向本机',
  ),
  block('224.0.0.0/4', 'multicast (224.0.0.0/4)', '组播地址段（224.0.0.0/4）'),
  block(
    '240.0.0.0/4',
    'reserved (240.0.0.0/4, with the broadcast address 255.255.255.255)',
    '保留地址段（240.0.0.0/4，含广播地址 255.255.255.255）',
  ),
];

/** The unusable block that the inclusive span first..last (addresses as numbers) reaches into. */
export function unusableBlockIn(first: number, last: number): UnusableBlock | null {
  return UNUSABLE.find((b) => first <= b.last && last >= b.first) ?? null;
}

/** Why a dotted-quad address cannot be a host's, in English and Chinese; null when it can. */
export function unusableAddress(address: string): [en: string, cn: string] | null {
  const n = address.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
  const found = unusableBlockIn(n, n);
  if (!found) return null;
  return [
    `"${address}" is in ${found.en}: no host can have it`,
    `“${address}” 属于${found.cn}，不能作为主机地址`,
  ];
}
