/**
 * Fills the kernel's neighbour (ARP) table, which is one for the whole machine, as another program
 * or another scan on the engineer's laptop can: entries on the operator's link for addresses that
 * nobody has, as many as the kernel takes. They are kept from being reclaimed until stopped: the
 * kernel's forced collection only takes entries that have failed or not changed for 5 s, so each
 * is changed every second (its made-up MAC alternated).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** 198.19.240.1 - 198.19.255.254: on the operator's /15, used by no lab and no other test. */
const FIRST = 240 * 256 + 1;
const LAST = 255 * 256 + 254;
const MACS = ['02:00:5e:10:00:01', '02:00:5e:10:00:02'];
const REFRESH_MS = 1000;
/** Others' entries waiting for ARP leave within seconds: this many rounds is far beyond that. */
const MAX_TRIES = 200;

const address = (i: number): string => `198.19.${i >> 8}.${i & 255}`;

export interface NeighbourFill {
  /** Entries it holds now. */
  held(): number;
  /** Whether the kernel refuses one more entry for want of room (ENOBUFS). */
  full(): Promise<boolean>;
  /** Takes every entry it can, until it holds at least `min` and the table is full. */
  fillUp(min: number): Promise<void>;
  /** Removes its entries: the table has room again. */
  stop(): Promise<void>;
}

/** Runs `ip -batch` in this (the operator's) network namespace; answers its error output. It
 * stops at the first "No buffer space available", even with -force, leaving the rest unread. */
function ipBatch(lines: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('ip', ['-force', '-batch', '-'], { stdio: ['pipe', 'ignore', 'pipe'] });
    let errors = '';
    child.stderr.on('data', (d: Buffer) => (errors += d.toString()));
    child.stdin.on('error', () => undefined);
    child.on('error', reject);
    child.on('close', () => resolve(errors));
    child.stdin.end(lines.map((l) => `${l}\n`).join(''));
  });
}

/** The filler's entries the kernel holds, by address. */
function heldAddresses(): string[] {
  return readFileSync('/proc/net/arp', 'utf8')
    .split('\n')
    .map((line) => line.split(/\s+/)[0] ?? '')
    .filter((ip) => ip.startsWith('198.19.') && Number(ip.split('.')[2]) >= 240);
}

export function neighbourFill(): NeighbourFill {
  let round = 0;
  let stopped = false;
  let busy: Promise<unknown> = Promise.resolve();
  const all = Array.from({ length: LAST - FIRST + 1 }, (_, i) => address(FIRST + i));

  /** Changes every held entry, then adds missing ones until the kernel has no room left: taking
   * the room others' entries leave. */
  const refresh = (): Promise<unknown> => {
    const mac = MACS[round++ % MACS.length]!;
    const held = new Set(heldAddresses());
    const entry = (ip: string) => `${ip} lladdr ${mac} nud reachable dev eth0`;
    const lines = [
      ...all.filter((ip) => held.has(ip)).map((ip) => `neigh change ${entry(ip)}`),
      ...all.filter((ip) => !held.has(ip)).map((ip) => `neigh add ${entry(ip)}`),
    ];
    busy = busy.then(() => ipBatch(lines));
    return busy;
  };
  const timer = setInterval(() => void refresh(), REFRESH_MS);

  const fill: NeighbourFill = {
    held: () => heldAddresses().length,
    async full() {
      const unheld = all.find((ip) => !new Set(heldAddresses()).has(ip))!;
      const errors = await ipBatch([
        `neigh add ${unheld} lladdr ${MACS[0]} nud reachable dev eth0`,
      ]);
      return /No buffer space available/.test(errors);
    },
    async fillUp(min) {
      for (let tries = 0; !stopped; tries++) {
        await refresh();
        if (fill.held() >= min && (await fill.full())) return;
        if (tries === MAX_TRIES)
          throw new Error(`the neighbour table could not be filled: ${fill.held()} entries held`);
      }
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await busy;
      await ipBatch(['neigh flush to 198.19.240.0/20 dev eth0']);
    },
  };
  return fill;
}
