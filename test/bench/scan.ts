// Benchmark: host scan against nmap over the same ranges, in one run. The lab /24 holds 24 SSH
// hosts and 4 hosts with nothing on port 22; the /22 holds 4 SSH hosts among 1,018 empty
// addresses. Run: `npm run bench -- scan` (as root; it builds its lab in the operator namespace).
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { HostScanResult } from '../../main/contract/results.js';
import { createLab, type HostSpec, type Lab } from '../lab/lab.js';
import { removeContext, scanApi, testContext } from '../scan/harness.js';

const PW = 'bench pw';
const RUNS = 3;

export interface ScanBenchRow {
  range: string;
  addresses: number;
  tool: string;
  /** Hosts reported: up (ping sweep) or with SSH open (port scan). */
  found: number;
  seconds: number;
}

interface Target {
  label: string;
  cidr: string;
  addresses: number;
}

const TARGETS: Target[] = [
  { label: 'lab /24', cidr: '198.18.35.0/24', addresses: 254 },
  { label: '/22 mostly empty', cidr: '198.18.36.0/22', addresses: 1022 },
];

function labHosts(count: number, none: number): HostSpec[] {
  const ssh = Array.from({ length: count }, (_, i) => ({ octet: 10 + i * 3, rootPassword: PW }));
  const silent = Array.from({ length: none }, (_, i) => ({
    octet: 200 + i,
    service: 'none' as const,
  }));
  return [...ssh, ...silent];
}

/** Forgets learned neighbours, so that no tool profits from the ARP answers of the one before. */
function flushNeighbours(): void {
  execFileSync('ip', ['neigh', 'flush', 'all']);
}

async function median(run: () => Promise<number>): Promise<{ seconds: number; found: number }> {
  const samples: { seconds: number; found: number }[] = [];
  for (let i = 0; i < RUNS; i++) {
    flushNeighbours();
    const start = performance.now();
    const found = await run();
    samples.push({ seconds: (performance.now() - start) / 1000, found });
  }
  samples.sort((a, b) => a.seconds - b.seconds);
  return samples[Math.floor(RUNS / 2)]!;
}

function nmap(args: string[]): string {
  return execFileSync('nmap', ['-n', ...args], { encoding: 'utf8' });
}

function sshHosts(result: HostScanResult): number {
  return result.hosts_info.filter((h) => h.ssh.state === 'open').length;
}

/** Scans each range with TopKE (probes only, then with logins and facts) and with nmap. */
export async function runScanBench(): Promise<ScanBenchRow[]> {
  const labs: Lab[] = [];
  const ctx = testContext();
  const api = scanApi(ctx);
  const rows: ScanBenchRow[] = [];
  try {
    labs.push(createLab(35, labHosts(24, 4)), createLab(36, labHosts(4, 0)));
    for (const t of TARGETS) {
      const add = (tool: string, m: { seconds: number; found: number }) =>
        rows.push({ range: t.label, addresses: t.addresses, tool, ...m });
      add(
        'topke scan (ICMP + SSH banner)',
        await median(async () => sshHosts(await api.call('hostScan', { cidr: t.cidr }))),
      );
      add(
        'topke scan + login and facts',
        await median(async () => {
          const r = await api.call('hostScan', {
            cidr: t.cidr,
            ssh: { user: 'root', password: PW },
          });
          return r.hosts_info.filter((h) => h.login?.ok).length;
        }),
      );
      add(
        'nmap -sn',
        await median(async () => Number(/\((\d+) hosts? up\)/.exec(nmap(['-sn', t.cidr]))![1])),
      );
      add(
        'nmap -p22 --open',
        await median(
          async () =>
            (nmap(['-p22', '--open', t.cidr]).match(/^Nmap scan report for/gm) ?? []).length,
        ),
      );
    }
  } finally {
    await api.close();
    removeContext(ctx);
    for (const lab of labs) lab.teardown();
  }
  return rows;
}

/** The tool the goal is measured against: finding a range's SSH hosts. */
const REFERENCE = 'nmap -p22 --open';

/** Each row's wall time divided by nmap -p22 --open's over the same range: below 1, faster than
 * nmap at finding the SSH hosts. */
export function printScanBench(rows: ScanBenchRow[]): void {
  const [one, five] = loadavg().map((l) => l.toFixed(1));
  console.log(
    `host scan against nmap, median of ${RUNS} runs, neighbour cache flushed before each` +
      ` (load average ${one} over 1 min, ${five} over 5 min, at the end)`,
  );
  for (const range of [...new Set(rows.map((r) => r.range))]) {
    const mine = rows.filter((r) => r.range === range);
    const base = mine.find((r) => r.tool === REFERENCE)!;
    console.log(`\n${range} (${mine[0]!.addresses} addresses)`);
    for (const r of mine) {
      const rate = Math.round(r.addresses / r.seconds);
      const ratio = (r.seconds / base.seconds).toFixed(2);
      console.log(
        `  ${r.tool.padEnd(32)} ${r.seconds.toFixed(2).padStart(7)} s ${String(rate).padStart(6)} addr/s  found ${String(r.found).padStart(3)}  time vs ${REFERENCE} ${ratio}x`,
      );
    }
  }
}
