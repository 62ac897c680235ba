import { readFile } from 'node:fs/promises';

/** How fresh a reading of the neighbour table may be; probes time out in bursts, one read serves. */
const MAX_AGE_MS = 100;

let cached: { at: number; table: Promise<Map<string, boolean>> } | undefined;

/** Linux's ARP table (/proc/net/arp, of this network namespace): address -> resolved. An entry
 * with flags 0x0 is one the kernel asked for on a directly connected link and got no answer. */
async function readArpTable(): Promise<Map<string, boolean>> {
  const table = new Map<string, boolean>();
  const text = await readFile('/proc/net/arp', 'utf8').catch(() => '');
  for (const line of text.split('\n').slice(1)) {
    const [ip, , flags] = line.trim().split(/\s+/);
    if (ip && flags) table.set(ip, (parseInt(flags, 16) & 0x2) !== 0);
  }
  return table;
}

function table(maxAgeMs: number): Promise<Map<string, boolean>> {
  if (!cached || Date.now() - cached.at > maxAgeMs) {
    cached = { at: Date.now(), table: readArpTable() };
  }
  return cached.table;
}

/** True when the address is on a directly connected link and nothing answered ARP for it: no
 * machine holds it, so an ICMP probe could not be answered either and is not sent. False when
 * unknown (a routed address, another OS), so that the caller probes. An address missing from a
 * recent reading is looked up in a fresh one: a read while the kernel grows its table can skip
 * entries. */
export async function absentOnLink(ip: string): Promise<boolean> {
  const seen = (await table(MAX_AGE_MS)).get(ip);
  if (seen !== undefined) return !seen;
  return (await table(0)).get(ip) === false;
}
