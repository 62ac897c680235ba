import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import pLimit from 'p-limit';
import type { HostInfo, HostScanResult, ScanState } from '../contract/results.js';
import type { ProgressBus } from '../events.js';
import type { Logger } from '../log.js';
import type { NeighbourBudget } from './neighbour-budget.js';
import { probeAddress, type ProbeOptions } from './probe-address.js';
import { unprobedWarning } from './unprobed.js';
import { sortByAddress, type ScanCounts, type ScanStore } from './scan-store.js';

export interface ScanJobDeps {
  store: ScanStore;
  events: ProgressBus;
  log: Logger;
}

export interface ScanJobOptions extends ProbeOptions {
  concurrency: number;
  /** Paces the probes' start to what the kernel's neighbour table can hold. */
  neighbours: Pick<NeighbourBudget, 'take' | 'giveBack'>;
  /** An address the kernel could not probe (its neighbour table full, see ProbeOptions.sent) is
   * tried again up to `rounds` times, each round `afterMs` after the last such address of the
   * one before, with half its concurrency. */
  retry: { rounds: number; afterMs: number };
}

/** Progress events at most this often, besides one per host found and the last one. */
const EVENT_INTERVAL_MS = 100;
const SAVE_INTERVAL_MS = 500;

/** The scan's cancel signal. Every probe in flight (hundreds at once) listens to it, and each
 * stops listening when it ends: there is no leak for Node's warning to catch. */
function scanAbort(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}

/** One running scan: probes its addresses with bounded concurrency, saves each host found,
 * reports progress, and can be cancelled. */
export class ScanJob {
  state: ScanState = 'running';
  done = 0;
  readonly finished: Promise<void>;
  private readonly hosts = new Map<string, HostInfo>();
  /** Addresses waiting to be probed again, every address ever retried, and those given up. */
  private readonly waiting = new Set<string>();
  private readonly retried = new Set<string>();
  private readonly unprobed: string[] = [];
  private lastUnsent = 0;
  private readonly abort = scanAbort();
  private readonly cancelled = new Promise<void>((resolve) =>
    this.abort.signal.addEventListener('abort', () => resolve()),
  );
  private lastEvent = 0;
  private lastSave = 0;

  constructor(
    readonly uuid: string,
    private readonly addresses: string[],
    private readonly options: ScanJobOptions,
    private readonly deps: ScanJobDeps,
  ) {
    this.finished = this.run();
  }

  get total(): number {
    return this.addresses.length;
  }

  /** Stops starting new probes and ends the scan at once; probes in flight are ignored. */
  cancel(): void {
    this.abort.abort();
  }

  result(): HostScanResult {
    const hosts = sortByAddress([...this.hosts.values()]);
    return {
      hosts_info: hosts,
      total_count: hosts.length,
      scan_uuid: this.uuid,
      scanned: this.done,
      addresses: this.total,
      state: this.state,
      unprobed: this.unprobed.length,
      retried: this.retried.size,
      warnings: unprobedWarning(this.unprobed),
    };
  }

  private async run(): Promise<void> {
    try {
      await this.rounds();
      this.state = this.abort.signal.aborted ? 'cancelled' : 'done';
    } catch (err) {
      this.deps.log.error({ err, scan: this.uuid }, 'scan failed');
      this.state = 'failed';
    }
    this.deps.store.finish(this.uuid, this.state, this.counts(), this.unprobed);
    this.emit(undefined, true);
    this.deps.log.info(
      { scan: this.uuid, state: this.state, ...this.counts(), unprobed: this.unprobed.length },
      'scan ended',
    );
  }

  private counts(): ScanCounts {
    return { done: this.done, found: this.hosts.size, retried: this.retried.size };
  }

  /** Every address once, then the rounds of retries over those the kernel could not probe. */
  private async rounds(): Promise<void> {
    let pending = this.addresses;
    for (let round = 0; pending.length > 0; round++) {
      if (round > 0 && !(await this.pause())) return;
      const concurrency = Math.max(1, Math.floor(this.options.concurrency / 2 ** round));
      pending = await this.pass(pending, concurrency, round === this.options.retry.rounds);
      if (this.abort.signal.aborted) return;
    }
  }

  /** Probes the addresses; answers those to try again. */
  private async pass(addresses: string[], concurrency: number, last: boolean): Promise<string[]> {
    const limit = pLimit(concurrency);
    const again: string[] = [];
    const all = Promise.all(
      addresses.map((ip) =>
        limit(async () => {
          if (await this.probe(ip, last)) again.push(ip);
        }),
      ),
    );
    await Promise.race([all, this.cancelled]);
    return again;
  }

  /** Before a round of retries: says so, then lets the entries that filled the kernel's table
   * expire. False if the scan is cancelled meanwhile. */
  private async pause(): Promise<boolean> {
    this.emit(undefined, false);
    const wait = this.lastUnsent + this.options.retry.afterMs - Date.now();
    if (wait > 0)
      await sleep(wait, undefined, { signal: this.abort.signal }).catch(() => undefined);
    return !this.abort.signal.aborted;
  }

  /** Probes one address; true when it is to be tried again. */
  private async probe(ip: string, last: boolean): Promise<boolean> {
    if (!(await this.options.neighbours.take(this.abort.signal))) return false;
    const outcome = await probeAddress(ip, { ...this.options, signal: this.abort.signal });
    if (this.abort.signal.aborted) return false;
    if (outcome === 'unprobed') {
      // The kernel made no entry for it: what it took of the budget is free again.
      this.options.neighbours.giveBack();
      this.lastUnsent = Date.now();
      if (!last) return this.waitFor(ip);
      this.unprobed.push(ip);
    }
    const host = typeof outcome === 'object' ? outcome : undefined;
    this.settle(ip, host);
    return false;
  }

  private waitFor(ip: string): true {
    this.waiting.add(ip);
    this.retried.add(ip);
    return true;
  }

  private settle(ip: string, host: HostInfo | undefined): void {
    this.done++;
    this.waiting.delete(ip);
    if (host) {
      this.hosts.set(ip, host);
      this.deps.store.saveHost(this.uuid, host);
    }
    this.saveProgress();
    if (host || Date.now() - this.lastEvent >= EVENT_INTERVAL_MS) this.emit(host, false);
  }

  private saveProgress(): void {
    if (Date.now() - this.lastSave < SAVE_INTERVAL_MS) return;
    this.lastSave = Date.now();
    this.deps.store.progress(this.uuid, this.done, this.hosts.size);
  }

  private emit(host: HostInfo | undefined, finished: boolean): void {
    this.lastEvent = Date.now();
    this.deps.events.emit({
      kind: 'scan',
      scan_uuid: this.uuid,
      done: this.done,
      total: this.total,
      found: this.hosts.size,
      retrying: this.waiting.size,
      unprobed: this.unprobed.length,
      ...(host ? { host } : {}),
      ...(finished ? { finished: true, state: this.state } : {}),
    });
  }
}
