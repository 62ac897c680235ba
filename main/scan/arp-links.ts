import { readFileSync } from 'node:fs';
import { endianness, networkInterfaces } from 'node:os';
import { ipv4ToNumber, type Ipv4Number } from './ipv4.js';

/** Route flags (linux/route.h) and the link type of Ethernet (if_arp.h), as /proc and /sys show. */
const RTF_UP = 0x1;
const RTF_GATEWAY = 0x2;
const RTF_REJECT = 0x200;
const IFF_NOARP = 0x80;
const ARPHRD_ETHER = 1;

interface LinkRoute {
  network: Ipv4Number;
  mask: Ipv4Number;
  /** Reached directly over an interface that asks for addresses by ARP. */
  arp: boolean;
}

/** The addresses a probe reaches directly over an ARP link: there its first packet needs a
 * kernel neighbour entry for the address itself (elsewhere, for a gateway the scan does not see). */
export interface ArpLinks {
  has(ip: string): boolean;
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** /proc/net/route writes each address, stored in network order, as one of the machine's 32-bit
 * words in hex: on a little-endian machine its bytes come reversed. */
function routeAddress(hex: string): Ipv4Number {
  const word = parseInt(hex, 16) >>> 0;
  if (endianness() === 'BE') return word;
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(word);
  return bytes.readUInt32BE();
}

/** An Ethernet-like interface that resolves addresses by ARP (not loopback, a tunnel, a VPN). */
function usesArp(iface: string): boolean {
  const type = readText(`/sys/class/net/${iface}/type`).trim();
  const flags = parseInt(readText(`/sys/class/net/${iface}/flags`).trim(), 16);
  return Number(type) === ARPHRD_ETHER && !Number.isNaN(flags) && (flags & IFF_NOARP) === 0;
}

function parseRoutes(text: string): LinkRoute[] {
  const routes: LinkRoute[] = [];
  for (const line of text.split('\n').slice(1)) {
    const [iface, dest, gateway, flagsHex, , , , maskHex] = line.trim().split(/\s+/);
    if (!iface || !dest || !gateway || !flagsHex || !maskHex) continue;
    const flags = parseInt(flagsHex, 16);
    if ((flags & RTF_UP) === 0 || (flags & RTF_REJECT) !== 0) continue;
    const direct = (flags & RTF_GATEWAY) === 0 && routeAddress(gateway) === 0;
    routes.push({
      network: routeAddress(dest),
      mask: routeAddress(maskHex),
      arp: direct && usesArp(iface),
    });
  }
  return routes;
}

/** This machine's own IPv4 addresses: a probe to one of them never leaves it. */
function ownAddresses(): Set<string> {
  const own = new Set<string>();
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4') own.add(a.address);
  }
  return own;
}

/** The most specific route of the main table, as the kernel picks it. */
function bestRoute(routes: LinkRoute[], address: Ipv4Number): LinkRoute | undefined {
  let best: LinkRoute | undefined;
  for (const r of routes) {
    if ((address & r.mask) >>> 0 !== r.network) continue;
    if (!best || r.mask >>> 0 > best.mask >>> 0) best = r;
  }
  return best;
}

/** Reads this network namespace's routes (/proc/net/route, the main table) and interfaces once.
 * Where they cannot be read (not Linux), no address counts as on an ARP link: the scan cannot
 * tell there whether the kernel sent a probe, and judges a silent address absent. */
export function readArpLinks(routeFile = '/proc/net/route'): ArpLinks {
  const routes = parseRoutes(readText(routeFile));
  const own = ownAddresses();
  return {
    has(ip) {
      const address = ipv4ToNumber(ip);
      const route = bestRoute(routes, address);
      return !own.has(ip) && route?.arp === true && !isNetworkOrBroadcast(route, address);
    },
  };
}

/** A link's network and broadcast addresses are not asked for by ARP: their entries, if any, are
 * ones /proc/net/arp does not show (NOARP). A /31 or /32 has neither. */
function isNetworkOrBroadcast(route: LinkRoute, address: Ipv4Number): boolean {
  const hostBits = ~route.mask >>> 0;
  if (hostBits <= 1) return false;
  const inLink = (address & hostBits) >>> 0;
  return inLink === 0 || inLink === hostBits;
}
