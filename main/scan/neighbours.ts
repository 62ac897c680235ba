import { readFile } from 'node:fs/promises';
import type { ArpLinks } from './arp-links.js';

/** How fresh a reading of the neighbour table may be; probes time out in bursts, one read serves. */
const MAX_AGE_MS = 100;

let cached: { at: number; table: Promise<Map<string, boolean>> } | undefined;

/** Linux's ARP table (/proc/net/arp, of this network namespace): address -> resolved. An entry
 * with flags 0x0 is one the kernel asked for on a directly connected link and got no answer (or
 * is still asking for). */
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

/** Readings taken after a probe's first packets begin at most this often: one serves a burst. */
const AFTER_SEND_INTERVAL_MS = 50;

let nextReading: Promise<Map<string, boolean>> | undefined;
let lastReadingAt = 0;

/** A reading of the table that begins after this call, and after every connect issued before it:
 * Node makes a socket's connect system call on the next tick, and the reading waits on a timer.
 * Calls made before it begins share it. */
function readingAfterNow(): Promise<Map<string, boolean>> {
  nextReading ??= new Promise((resolve) => {
    const wait = Math.max(0, lastReadingAt + AFTER_SEND_INTERVAL_MS - Date.now());
    setTimeout(() => {
      nextReading = undefined;
      lastReadingAt = Date.now();
      resolve(readArpTable());
    }, wait);
  });
  return nextReading;
}

/** Call right after sending the first packet to an on-link address: whether the kernel now holds
 * a neighbour entry for it, in any state. The packet makes one (and its ARP request goes out) and
 * it lasts at least the ARP lifetime, so none means the kernel could not make one: its table was
 * full, the packet was dropped and nothing was asked. An address missing from one reading is
 * looked for in the next, since a read while the kernel grows its table can skip entries. */
export async function entryHeldAfterSend(ip: string): Promise<boolean> {
  if ((await readingAfterNow()).has(ip)) return true;
  return (await readingAfterNow()).has(ip);
}

/** ProbeOptions.sent for this machine: off the ARP links, where the scan cannot see whether the
 * kernel sent a packet, it is taken as sent. */
export function sentOnArpLinks(links: ArpLinks): (ip: string) => Promise<boolean> {
  return async (ip) => !links.has(ip) || entryHeldAfterSend(ip);
}
