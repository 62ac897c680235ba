import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readArpLinks } from '../../main/scan/arp-links.js';
import { entryHeldAfterSend, sentOnArpLinks } from '../../main/scan/neighbours.js';

const dir = mkdtempSync(join(tmpdir(), 'topke-routes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HEADER =
  'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT';

/** A route file as /proc/net/route writes it on this (little-endian) machine. */
function routeFile(rows: string[][]): string {
  const path = join(dir, `route-${rows.length}-${Math.random()}`);
  writeFileSync(path, [HEADER, ...rows.map((r) => [...r, '0', '0', '0'].join('\t'))].join('\n'));
  return path;
}

/** The operator's eth0 (a veth, which uses ARP) and lo (which does not), as test/run.mjs makes
 * them: the interfaces' types are read from this namespace's /sys. */
describe('the addresses a probe reaches over an ARP link', () => {
  const links = readArpLinks(
    routeFile([
      // 198.18.0.0/15 on eth0; 198.20.0.0/16 through the gateway 198.18.0.1; 198.21.0.0/16 on lo.
      ['eth0', '000012C6', '00000000', '0001', '0', '0', '0', '0000FEFF'],
      ['eth0', '000014C6', '010012C6', '0003', '0', '0', '0', '0000FFFF'],
      ['lo', '000015C6', '00000000', '0001', '0', '0', '0', '0000FFFF'],
      // A more specific route through the gateway, inside the link.
      ['eth0', '000513C6', '010012C6', '0003', '0', '0', '0', '00FFFFFF'],
    ]),
  );

  it('are those on a directly connected Ethernet network, not routed, not the own address', () => {
    expect(links.has('198.18.7.9')).toBe(true);
    expect(links.has('198.19.4.255')).toBe(true);
    expect(links.has('198.20.0.5')).toBe(false);
    expect(links.has('198.21.0.5')).toBe(false);
    expect(links.has('198.19.5.10')).toBe(false);
    expect(links.has('198.18.0.2')).toBe(false);
    expect(links.has('203.0.113.1')).toBe(false);
  });

  it('leave out the link’s network and broadcast addresses, which ARP does not ask for', () => {
    expect(links.has('198.18.0.0')).toBe(false);
    expect(links.has('198.19.255.255')).toBe(false);
  });

  it('are none where the routes cannot be read', () => {
    expect(readArpLinks(join(dir, 'missing')).has('198.18.7.9')).toBe(false);
  });
});

/** Opens a TCP connection attempt to an address nobody has; answers how to end it. */
function connectTo(ip: string): () => void {
  const socket = new Socket();
  socket.on('error', () => undefined);
  socket.connect({ host: ip, port: 22 });
  return () => socket.destroy();
}

describe('the kernel neighbour entry a probe’s first packet makes', () => {
  it('is seen right after the connect that made it, and none for an address never sent to', async () => {
    const end = connectTo('198.19.30.7');
    const [sent, neverSent] = await Promise.all([
      entryHeldAfterSend('198.19.30.7'),
      entryHeldAfterSend('198.19.30.8'),
    ]);
    end();
    expect([sent, neverSent]).toEqual([true, false]);
  });

  it('is not looked for off the ARP links: a routed address counts as sent', async () => {
    const sent = sentOnArpLinks({ has: (ip) => ip !== '203.0.113.9' });
    expect(await sent('203.0.113.9')).toBe(true);
    expect(await sent('198.19.30.9')).toBe(false);
  });
});
