import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Linux's defaults: net.ipv4.neigh.default.gc_thresh3, and how long an unanswered address is
 * asked for by ARP (mcast_solicit 3 times, retrans_time_ms 1000 apart). */
export const KERNEL_DEFAULT_TABLE_SIZE = 1024;
export const KERNEL_DEFAULT_LIFETIME_MS = 3000;

/** What the kernel's neighbour (ARP) table allows a scan. */
export interface NeighbourLimits {
  /** gc_thresh3: entries the table holds machine-wide; past it new addresses cannot be resolved. */
  tableSize: number;
  /** How long an address that nothing answers holds its entry unresolved (INCOMPLETE), during
   * which the kernel cannot reclaim it. */
  lifetimeMs: number;
}

function readNumber(path: string): number | undefined {
  try {
    const text = readFileSync(path, 'utf8').trim();
    return /^\d+$/.test(text) ? Number(text) : undefined;
  } catch {
    return undefined;
  }
}

function entries(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** The longest any interface (or the default) asks for an address before giving up on it. */
function longestLifetime(dir: string): number | undefined {
  let longest: number | undefined;
  for (const name of entries(dir)) {
    const tries = readNumber(join(dir, name, 'mcast_solicit'));
    const apart = readNumber(join(dir, name, 'retrans_time_ms'));
    if (tries === undefined || apart === undefined) continue;
    const ms = (tries + (readNumber(join(dir, name, 'app_solicit')) ?? 0)) * apart;
    longest = Math.max(longest ?? 0, ms);
  }
  return longest;
}

/** Reads the limits from /proc/sys/net/ipv4/neigh. The table is one for the whole machine and
 * its size is shown only in the first network namespace (`default/gc_thresh3`); elsewhere (a
 * container, the test lab) and where it cannot be read, the kernel's default is assumed. */
export function readNeighbourLimits(dir = '/proc/sys/net/ipv4/neigh'): NeighbourLimits {
  const tableSize = readNumber(join(dir, 'default', 'gc_thresh3'));
  const lifetimeMs = longestLifetime(dir);
  return {
    tableSize: tableSize && tableSize > 0 ? tableSize : KERNEL_DEFAULT_TABLE_SIZE,
    lifetimeMs: lifetimeMs && lifetimeMs > 0 ? lifetimeMs : KERNEL_DEFAULT_LIFETIME_MS,
  };
}
