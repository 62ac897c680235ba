import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NeighbourBudget } from '../../main/scan/neighbour-budget.js';
import { readNeighbourLimits } from '../../main/scan/neighbour-limits.js';

const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A folder laid out as /proc/sys/net/ipv4/neigh: one subfolder per interface (and "default"),
 * one file per setting. */
function neighDir(settings: Record<string, Record<string, string>>): string {
  const dir = mkdtempSync(join(tmpdir(), 'topke-neigh-'));
  made.push(dir);
  for (const [name, files] of Object.entries(settings)) {
    mkdirSync(join(dir, name));
    for (const [file, value] of Object.entries(files)) writeFileSync(join(dir, name, file), value);
  }
  return dir;
}

const ARP_DEFAULTS = { mcast_solicit: '3\n', app_solicit: '0\n', retrans_time_ms: '1000\n' };

describe('the kernel neighbour table limits a scan reads', () => {
  it('reads gc_thresh3 and the longest ARP lifetime of any interface', () => {
    const dir = neighDir({
      default: { gc_thresh3: '8192\n', ...ARP_DEFAULTS },
      eth0: { ...ARP_DEFAULTS, mcast_solicit: '4\n', retrans_time_ms: '1500\n' },
      lo: ARP_DEFAULTS,
    });
    expect(readNeighbourLimits(dir)).toEqual({ tableSize: 8192, lifetimeMs: 6000 });
  });

  it('counts application probes (app_solicit) in the lifetime', () => {
    const dir = neighDir({ default: { gc_thresh3: '2048', ...ARP_DEFAULTS, app_solicit: '2' } });
    expect(readNeighbourLimits(dir)).toEqual({ tableSize: 2048, lifetimeMs: 5000 });
  });

  it('assumes the kernel default table size where gc_thresh3 is not shown (a network namespace)', () => {
    const dir = neighDir({ eth0: ARP_DEFAULTS, lo: ARP_DEFAULTS });
    expect(readNeighbourLimits(dir)).toEqual({ tableSize: 1024, lifetimeMs: 3000 });
  });

  it('assumes the kernel defaults for unreadable or malformed settings', () => {
    expect(readNeighbourLimits(join(tmpdir(), 'topke-no-such-neigh'))).toEqual({
      tableSize: 1024,
      lifetimeMs: 3000,
    });
    const dir = neighDir({
      default: { gc_thresh3: 'lots', mcast_solicit: '3', retrans_time_ms: '' },
    });
    expect(readNeighbourLimits(dir)).toEqual({ tableSize: 1024, lifetimeMs: 3000 });
  });

  it('reads this machine’s own settings as numbers', () => {
    const limits = readNeighbourLimits();
    expect(limits.tableSize).toBeGreaterThan(0);
    expect(limits.lifetimeMs).toBeGreaterThan(0);
  });
});

describe('the pace of probes the neighbour table allows', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  /** A take whose outcome can be read synchronously: 'waiting' until it settles. */
  function tracked(take: Promise<boolean>): { state: boolean | 'waiting' } {
    const t: { state: boolean | 'waiting' } = { state: 'waiting' };
    void take.then((v) => (t.state = v));
    return t;
  }
  const states = (takes: { state: boolean | 'waiting' }[]) => takes.map((t) => t.state);

  it('keeps three quarters of the table for probes, each for the ARP lifetime and a margin', () => {
    const budget = new NeighbourBudget({ tableSize: 1024, lifetimeMs: 3000 });
    expect(budget).toMatchObject({ entries: 768, holdMs: 3250 });
    expect(budget.concurrency(1000)).toBe(256);
    expect(budget.concurrency(5000)).toBe(768);
    expect(new NeighbourBudget({ tableSize: 8192, lifetimeMs: 3000 }).concurrency(1000)).toBe(1024);
    expect(new NeighbourBudget({ tableSize: 4096, lifetimeMs: 3000 }).concurrency(1000)).toBe(945);
  });

  it('starts no more probes within one lifetime than the budget holds', async () => {
    const budget = new NeighbourBudget({ tableSize: 4, lifetimeMs: 1000 });
    expect(budget.entries).toBe(3);
    const first = [budget.take(), budget.take(), budget.take()].map(tracked);
    const later = [budget.take(), budget.take()].map(tracked);
    await vi.advanceTimersByTimeAsync(0);
    expect(states([...first, ...later])).toEqual([true, true, true, 'waiting', 'waiting']);
    await vi.advanceTimersByTimeAsync(1249);
    expect(states(later)).toEqual(['waiting', 'waiting']);
    await vi.advanceTimersByTimeAsync(1);
    expect(states(later)).toEqual([true, true]);
    const third = tracked(budget.take());
    const fourth = tracked(budget.take());
    await vi.advanceTimersByTimeAsync(0);
    expect(states([third, fourth])).toEqual([true, 'waiting']);
    await vi.advanceTimersByTimeAsync(1250);
    expect(fourth.state).toBe(true);
  });

  it('serves waiting probes in order, and lets a cancelled scan’s probes leave the queue', async () => {
    const budget = new NeighbourBudget({ tableSize: 1, lifetimeMs: 750 });
    const scanA = new AbortController();
    const order: string[] = [];
    const take = (name: string, signal?: AbortSignal) =>
      tracked(budget.take(signal).then((v) => (order.push(`${name}:${v}`), v)));
    expect(await budget.take()).toBe(true);
    const [a1, b1, a2, b2] = [
      take('a1', scanA.signal),
      take('b1'),
      take('a2', scanA.signal),
      take('b2'),
    ];
    scanA.abort();
    await vi.advanceTimersByTimeAsync(0);
    expect(states([a1!, a2!, b1!, b2!])).toEqual([false, false, 'waiting', 'waiting']);
    await vi.advanceTimersByTimeAsync(1000);
    expect(states([b1!, b2!])).toEqual([true, 'waiting']);
    await vi.advanceTimersByTimeAsync(1000);
    expect(b2!.state).toBe(true);
    expect(order).toEqual(['a1:false', 'a2:false', 'b1:true', 'b2:true']);
    expect(await budget.take(scanA.signal)).toBe(false);
  });

  it('lets the next probe start at once when one gives back a start that made no entry', async () => {
    const budget = new NeighbourBudget({ tableSize: 3, lifetimeMs: 1000 });
    expect(budget.entries).toBe(2);
    expect([await budget.take(), await budget.take()]).toEqual([true, true]);
    const waiting = [budget.take(), budget.take()].map(tracked);
    await vi.advanceTimersByTimeAsync(0);
    expect(states(waiting)).toEqual(['waiting', 'waiting']);
    budget.giveBack();
    await vi.advanceTimersByTimeAsync(0);
    expect(states(waiting)).toEqual([true, 'waiting']);
    // The two starts held still expire one lifetime and the margin after they were taken.
    await vi.advanceTimersByTimeAsync(1249);
    expect(waiting[1]!.state).toBe('waiting');
    await vi.advanceTimersByTimeAsync(1);
    expect(waiting[1]!.state).toBe(true);
  });
});
