// Benchmark: the renderer showing a history of 10,000 clusters in headless Chromium, served by
// `topke serve`: open the list, sort, change page, filter. Each time runs in the page, from the
// engineer's click or keystroke (the event's time stamp) until the DOM shows the answer, so that
// the test driver's own round trips are not counted. Run from test/bench/index.ts (history-ui).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { createContext } from '../../main/context.js';
import { seed } from '../bench/clusters.js';
import { adminKubeconfig } from '../kubeconfig/build.js';
import { createTestPki } from '../kubeconfig/pki.js';
import { launchBrowser } from './browser.js';
import { requireBuilt, startServer } from './server.js';

export interface UiBenchLine {
  name: string;
  runs: number;
  p50: number;
  max: number;
}

/** What the page must show for an action to count as done. */
type Shown =
  | { kind: 'list'; count: string }
  | { kind: 'first-row-not'; uuid: string | null }
  | { kind: 'filtered'; text: string };

function seedHistory(dir: string): void {
  const pki = createTestPki();
  const ctx = createContext(dir, { logToFile: false });
  ctx.log.level = 'silent';
  try {
    const admin = pki.client('kubernetes-admin', 'system:masters');
    seed(ctx, adminKubeconfig('https://198.18.0.10:6443', pki.ca.cert, admin));
  } finally {
    ctx.db.close();
    pki.cleanup();
  }
}

/** Remembers the time stamp of the latest click or keystroke, in the page's clock. */
async function recordInputs(page: Page): Promise<void> {
  await page.evaluate(`for (const type of ['click', 'input'])
    document.addEventListener(type, (e) => (window.__benchStart = e.timeStamp), true)`);
}

// Page-side code as text: the benchmark runs under tsx, whose transform would wrap named
// functions in a helper that does not exist in the page.
const UNTIL_SHOWN = `(want) => new Promise((resolve) => {
  const table = () => document.querySelector('[data-testid="cluster-table"]');
  const first = () => document.querySelector('[data-testid^="cluster-row-"]');
  const holds = () => {
    const t = table();
    if (!t || t.getAttribute('data-loading') !== 'false' || !first()) return false;
    if (want.kind === 'list') {
      const count = document.querySelector('[data-testid="history-count"]');
      return count && count.getAttribute('data-count') === want.count;
    }
    if (want.kind === 'filtered') return t.getAttribute('data-filter') === want.text;
    return first().getAttribute('data-uuid') !== want.uuid;
  };
  const observer = new MutationObserver(() => holds() && finish());
  const finish = () => {
    observer.disconnect();
    resolve(performance.now() - window.__benchStart);
  };
  observer.observe(document.body, { subtree: true, childList: true, attributes: true });
  if (holds()) finish();
})`;

/** Resolves, in the page, when `shown` holds; answers the ms since the latest input. */
async function untilShown(page: Page, shown: Shown): Promise<number> {
  const handle = await page.evaluateHandle(UNTIL_SHOWN);
  const elapsed = handle.evaluate((fn, want) => (fn as (w: Shown) => Promise<number>)(want), shown);
  return elapsed;
}

async function firstUuid(page: Page): Promise<string | null> {
  return page.locator('[data-testid^="cluster-row-"]').first().getAttribute('data-uuid');
}

function line(name: string, samples: number[]): UiBenchLine {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => Number(sorted[Math.floor(q * (sorted.length - 1))]!.toFixed(1));
  return { name, runs: sorted.length, p50: at(0.5), max: at(1) };
}

async function repeat(runs: number, once: (i: number) => Promise<number>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push(await once(i));
  return samples;
}

/** Seeds the history, serves it and measures the renderer; answers one line per action (ms). */
export async function runHistoryUiBench(): Promise<UiBenchLine[]> {
  requireBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'topke-bench-ui-'));
  seedHistory(dir);
  const server = await startServer(dir, randomBytes(18).toString('base64url'));
  const browser = await launchBrowser();
  const page = browser.page;
  const byId = (id: string) => page.getByTestId(id);
  const table = () => byId('cluster-table');
  try {
    await page.goto(server.url);
    await byId('wizard').waitFor();
    await recordInputs(page);
    const lines: UiBenchLine[] = [];
    const open = async () => {
      await byId('nav-wizard').click();
      await byId('wizard').waitFor();
      const shown = untilShown(page, { kind: 'list', count: '10000' });
      await byId('nav-clusters').click();
      return shown;
    };
    lines.push(line('open the history, first time (the service derives settings)', [await open()]));
    lines.push(line('open the history (10,000 clusters, page of 50)', await repeat(10, open)));
    for (const column of ['name', 'version', 'state', 'created'])
      lines.push(
        line(
          `sort by ${column}`,
          await repeat(6, async () => {
            const shown = untilShown(page, { kind: 'first-row-not', uuid: await firstUuid(page) });
            await table().locator(`th[data-col-key="${column}"]`).click();
            return shown;
          }),
        ),
      );
    lines.push(
      line(
        'next page',
        await repeat(10, async () => {
          const shown = untilShown(page, { kind: 'first-row-not', uuid: await firstUuid(page) });
          await table().locator('.n-pagination-item--button').last().click();
          return shown;
        }),
      ),
    );
    lines.push(
      line(
        'filter by text (includes the 250 ms pause after typing)',
        await repeat(6, async (i) => {
          const text = ['198.18.7', 'cluster-99', 'unreachable'][i % 3]!;
          const shown = untilShown(page, { kind: 'filtered', text });
          await byId('history-filter').locator('input').fill(text);
          return shown;
        }),
      ),
    );
    return lines;
  } finally {
    await browser.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printHistoryUiBench(lines: UiBenchLine[]): void {
  console.log('renderer: history of 10,000 clusters in headless Chromium (ms, input to shown)');
  for (const l of lines)
    console.log(
      `  ${l.name.padEnd(62)} p50 ${String(l.p50).padStart(8)}  max ${String(l.max).padStart(8)}  (${l.runs} runs)`,
    );
}
