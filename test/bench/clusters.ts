// Benchmark: cluster list and get with 10,000 clusters in the history (9,000 deployed with three
// nodes and a kubeconfig each, 1,000 imported), through request validation as every transport
// does. Run: `npx tsx test/bench/clusters.ts` (or from test/bench/index.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { OPERATIONS, type OperationName } from '../../main/contract/operations.js';
import { validate } from '../../main/contract/validate.js';
import { createContext, type ServiceContext } from '../../main/context.js';
import { createClusterHandlers } from '../../main/clusters/service.js';
import { adminKubeconfig } from '../kubeconfig/build.js';
import { createTestPki } from '../kubeconfig/pki.js';

const CLUSTERS = 10_000;
const STATES = ['running', 'failed', 'unreachable', 'deploying'];

export interface BenchLine {
  name: string;
  runs: number;
  p50: number;
  p95: number;
  max: number;
}

/** Writes 10,000 clusters into a fresh history (also used by the renderer's benchmark). */
export function seed(ctx: ServiceContext, kubeconfig: string): void {
  const cluster = ctx.db.prepare(
    `INSERT INTO clusters (uuid, tenant_uuid, name, source, state, api_server, kube_version,
      kubeconfig_enc, created_at, updated_at)
     VALUES (?, '00000000-0000-4000-8000-000000000000', ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const node = ctx.db.prepare(
    `INSERT INTO nodes (cluster_uuid, ip, node_name, role, state, position) VALUES (?, ?, ?, ?, 'ready', ?)`,
  );
  ctx.db.transaction(() => {
    for (let i = 0; i < CLUSTERS; i++) {
      const uuid = `c0000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
      const deployed = i % 10 !== 0;
      const subnet = `198.18.${Math.floor(i / 250)}.${(i % 250) + 1}`;
      cluster.run(
        uuid,
        `cluster-${(i * 7919) % CLUSTERS}`,
        deployed ? 'deployed' : 'imported',
        STATES[i % STATES.length],
        `https://${subnet}:6443`,
        `v1.${20 + (i % 11)}.${i % 7}`,
        ctx.secrets.seal(kubeconfig),
        1_700_000_000 + i,
        1_700_000_000 + i,
      );
      if (deployed)
        ['m1', 'w1', 'w2'].forEach((n, p) =>
          node.run(uuid, `${subnet}${p}`, `${n}-${i}`, p ? 'worker' : 'master', p),
        );
    }
  })();
}

async function time(runs: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn(i);
    samples.push(performance.now() - start);
  }
  return samples.sort((a, b) => a - b);
}

function line(name: string, samples: number[]): BenchLine {
  const at = (q: number) =>
    Number(samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!.toFixed(2));
  return { name, runs: samples.length, p50: at(0.5), p95: at(0.95), max: at(1) };
}

/** Seeds a fresh history and measures list and get; answers one line per measurement (ms). */
export async function runClusterBench(): Promise<BenchLine[]> {
  const dir = mkdtempSync(join(tmpdir(), 'topke-bench-clusters-'));
  const pki = createTestPki();
  const ctx = createContext(dir, { logToFile: false });
  ctx.log.level = 'silent';
  try {
    seed(
      ctx,
      adminKubeconfig(
        'https://198.18.0.10:6443',
        pki.ca.cert,
        pki.client('kubernetes-admin', 'system:masters'),
      ),
    );
    const handlers = createClusterHandlers(ctx) as unknown as Record<
      string,
      (r: unknown) => Promise<unknown>
    >;
    const call = (name: OperationName, input: unknown) =>
      handlers[name]!(validate(OPERATIONS[name].request, input));
    const lines: BenchLine[] = [];
    lines.push(
      line(
        'list, first after 10,000 kubeconfigs were written (derives masked settings)',
        await time(1, () => call('clusterList', { limit: 100 })),
      ),
    );
    for (const sort_by of [
      'TopKESortByName',
      'TopKESortByCreateTime',
      'TopKESortByState',
      'TopKESortByVersion',
    ])
      for (const sort_desc of [false, true])
        lines.push(
          line(
            `list page of 100, ${sort_by}${sort_desc ? ' desc' : ''}`,
            await time(20, (i) =>
              call('clusterList', { sort_by, sort_desc, offset: (i * 100) % CLUSTERS, limit: 100 }),
            ),
          ),
        );
    lines.push(
      line(
        'list page of 100, text filter "198.18.7"',
        await time(20, () => call('clusterList', { filter: '198.18.7', limit: 100 })),
      ),
    );
    lines.push(line('list all 10,000 in one answer', await time(5, () => call('clusterList', {}))));
    lines.push(
      line(
        'get one cluster',
        await time(1000, (i) =>
          call('clusterGet', {
            uuid: `c0000000-0000-4000-8000-${String((i * 37) % CLUSTERS).padStart(12, '0')}`,
          }),
        ),
      ),
    );
    return lines;
  } finally {
    ctx.db.close();
    pki.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printBench(lines: BenchLine[]): void {
  console.log(`cluster history, ${CLUSTERS} clusters (ms)`);
  for (const l of lines)
    console.log(
      `  ${l.name.padEnd(78)} p50 ${String(l.p50).padStart(8)}  p95 ${String(l.p95).padStart(8)}  max ${String(l.max).padStart(8)}  (${l.runs} runs)`,
    );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href)
  printBench(await runClusterBench());
