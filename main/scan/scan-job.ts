import { setMaxListeners } from 'node:events';
import pLimit from 'p-limit';
import type { HostInfo, HostScanResult, ScanState } from '../contract/results.js';
import type { ProgressBus } from '../events.js';
import type { Logger } from '../log.js';
import type { NeighbourBudget } from './neighbour-budget.js';
import { probeAddress, type ProbeOptions } from './probe-address.js';
import { sortByAddress, type ScanStore } from './scan-store.js';

export interface ScanJobDeps {
  store: ScanStore;
  events: ProgressBus;
  log: Logger;
}

export interface ScanJobOptions extends ProbeOptions {
  concurrency: number;
  /** Paces the probes' start to what the kernel's neighbour table can hold. */
  neighbours: Pick<NeighbourBudget, 'take'>;
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
  private readonly abort = scanAbort();
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
    };
  }

  private async run(): Promise<void> {
    const limit = pLimit(this.options.concurrency);
    const cancelled = new Promise<void>((resolve) =>
      this.abort.signal.addEventListener('abort', () => resolve()),
    );
    const all = Promise.all(this.addresses.map((ip) => limit(() => this.probe(ip))));
    try {
      await Promise.race([all, cancelled]);
      this.state = this.abort.signal.aborted ? 'cancelled' : 'done';
    } catch (err) {
      this.deps.log.error({ err, scan: this.uuid }, 'scan failed');
      this.state = 'failed';
    }
    this.deps.store.finish(this.uuid, this.state, this.done, this.hosts.size);
    this.emit(undefined, true);
    this.deps.log.info(
      { scan: this.uuid, state: this.state, done: this.done, found: this.hosts.size },
      'scan ended',
    );
  }

  private async probe(ip: string): Promise<void> {
    if (!(await this.options.neighbours.take(this.abort.signal))) return;
    const host = await probeAddress(ip, { ...this.options, signal: this.abort.signal });
    if (this.abort.signal.aborted) return;
    this.done++;
    if (host) {
      this.hosts.set(ip, host);
      this.deps.store.saveHost(this.uuid, host);
    }
    this.saveProgress();
    if (host || Date.now() - this.lastEvent >= EVENT_INTERVAL_MS)
      this.emit(host ?? undefined, false);
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
      ...(host ? { host } : {}),
      ...(finished ? { finished: true, state: this.state } : {}),
    });
  }
}
