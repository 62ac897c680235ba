import { readNeighbourLimits, type NeighbourLimits } from './neighbour-limits.js';

/** The share of the kernel's neighbour table that probes may hold: the rest is left to the
 * machine's other neighbours (its gateway, containers, other programs, other scans' hosts). */
const SHARE = 3 / 4;
/** Added to an entry's lifetime: the probe's first packet, which makes the entry, leaves a moment
 * after its start is counted. */
const MARGIN_MS = 250;
/** At least a /24 in flight at once (the budget still paces their start), at most a /22. */
const MIN_CONCURRENCY = 256;
const MAX_CONCURRENCY = 1024;

interface Waiter {
  signal: AbortSignal | undefined;
  resolve: (started: boolean) => void;
}

/** Paces the start of probes so that the addresses being asked for by ARP never overflow the
 * kernel's neighbour table. Every probe that starts may make an entry that the kernel keeps
 * unresolved, and cannot reclaim, for the whole ARP lifetime, whatever the probe's own timeout:
 * so at most `entries` probes may start within any `holdMs`. Past the table's limit the kernel
 * cannot even ask for a new address, and a live host there would be missed. */
export class NeighbourBudget {
  readonly entries: number;
  readonly holdMs: number;
  /** When the probes still holding an entry started, oldest first. */
  private readonly starts: number[] = [];
  private readonly waiting: Waiter[] = [];
  private readonly watched = new WeakSet<AbortSignal>();
  private timer: NodeJS.Timeout | undefined;

  constructor(limits: NeighbourLimits) {
    this.entries = Math.max(1, Math.floor(limits.tableSize * SHARE));
    this.holdMs = limits.lifetimeMs + MARGIN_MS;
  }

  /** Probes in flight at once that the budget can keep busy, each taking up to `timeoutMs`. */
  concurrency(timeoutMs: number): number {
    const share = Math.min(timeoutMs, this.holdMs) / this.holdMs;
    return Math.min(MAX_CONCURRENCY, Math.max(MIN_CONCURRENCY, Math.floor(this.entries * share)));
  }

  /** Waits until one more probe may start, first come first served; false if `signal` aborts
   * first (then nothing is taken). */
  take(signal?: AbortSignal): Promise<boolean> {
    if (signal?.aborted) return Promise.resolve(false);
    this.expire();
    if (this.waiting.length === 0 && this.starts.length < this.entries) {
      this.starts.push(Date.now());
      return Promise.resolve(true);
    }
    if (signal) this.watch(signal);
    return new Promise((resolve) => {
      this.waiting.push({ signal, resolve });
      this.wake();
    });
  }

  /** Gives back what the latest probe took, when the kernel made no entry for it after all (its
   * table was full with others' entries): another probe may start in its place. */
  giveBack(): void {
    this.starts.pop();
    this.admit();
  }

  /** One listener per signal however many of its probes wait: when a scan is cancelled, its
   * probes leave the queue. */
  private watch(signal: AbortSignal): void {
    if (this.watched.has(signal)) return;
    this.watched.add(signal);
    const leave = (): void => {
      const staying = this.waiting.filter((w) => w.signal !== signal);
      for (const w of this.waiting) if (w.signal === signal) w.resolve(false);
      this.waiting.length = 0;
      for (const w of staying) this.waiting.push(w);
    };
    signal.addEventListener('abort', leave, { once: true });
  }

  private expire(): void {
    const since = Date.now() - this.holdMs;
    let gone = 0;
    while (gone < this.starts.length && this.starts[gone]! <= since) gone++;
    this.starts.splice(0, gone);
  }

  /** Lets the waiting probes start as the oldest entries expire. */
  private wake(): void {
    if (this.timer) return;
    const due = this.starts[0]! + this.holdMs - Date.now();
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.admit();
        if (this.waiting.length > 0) this.wake();
      },
      Math.max(0, due),
    );
  }

  /** Starts the waiting probes there is room for, first come first served. */
  private admit(): void {
    this.expire();
    while (this.waiting.length > 0 && this.starts.length < this.entries) {
      this.starts.push(Date.now());
      this.waiting.shift()!.resolve(true);
    }
  }
}

let shared: NeighbourBudget | undefined;

/** One budget for the whole process, read from the kernel on first use: the table is one for
 * the whole machine, so scans running at once share it. */
export function sharedNeighbourBudget(): NeighbourBudget {
  shared ??= new NeighbourBudget(readNeighbourLimits());
  return shared;
}
