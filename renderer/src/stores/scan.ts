import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { OperationInput } from '../../../main/contract/operations.js';
import type { HostInfo, HostScanResult, ScanState } from '../../../main/contract/results.js';
import {
  attempt,
  toApiError,
  useClient,
  type ApiError,
  type Outcome,
  type ProgressEvent,
} from '../api/index.js';
import type { KnownHostView, Notice } from '../../../main/contract/results.js';

type ScanInput = OperationInput<'hostScan'>;

/** The answer of a VIP test: free, in use (something answered), or a refused request. */
export type VipVerdict =
  | { state: 'free'; vip: string; port: number }
  | { state: 'in-use'; vip: string; port: number; error: ApiError }
  | { state: 'error'; vip: string; port: number; error: ApiError };

export interface ScanProgress {
  done: number;
  total: number;
  found: number;
  /** Addresses waiting to be probed again: the kernel's neighbour table was full. */
  retrying: number;
}

/** Merges newer answers into older ones by address, keeping the order of first appearance. */
function mergeHosts(old: HostInfo[], fresh: HostInfo[]): HostInfo[] {
  const byIp = new Map(old.map((h) => [h.ip, h]));
  for (const host of fresh) byIp.set(host.ip, host);
  return [...byIp.values()];
}

/** Where the uuid of the last range scan is kept, so the wizard can come back to its results
 * (saved by the service) after a reload or a restart. A uuid is no secret. */
const LAST_SCAN_KEY = 'topke.lastScan';

/** Host scans (the range's live hosts with their facts, the progress of the running scan) and
 * the VIP test. A scan request may carry SSH credentials; they are passed on, never kept here. */
export const useScanStore = defineStore('scan', () => {
  const hosts = ref<HostInfo[]>([]);
  const running = ref(false);
  const progress = ref<ScanProgress | null>(null);
  const error = ref<ApiError | null>(null);
  const scanned = ref(0);
  /** How the last range scan ended (done, cancelled...), and how many addresses it covered. */
  const state = ref<ScanState | null>(null);
  const addresses = ref(0);
  /** What the engineer should know of the last range scan (addresses it could not probe). */
  const warnings = ref<Notice[]>([]);

  const scanUuid = ref<string | null>(null);

  function follow(id: string): () => void {
    return useClient().onProgress((event: ProgressEvent) => {
      if (event.kind !== 'scan' || event.scan_uuid !== id) return;
      const { done, total, found, retrying } = event;
      progress.value = { done, total, found, retrying };
    });
  }

  // The scan's uuid is chosen here, so that its progress events can be told from other scans'
  // and the scan can be cancelled while it runs.
  async function run(input: ScanInput, replace: boolean): Promise<boolean> {
    const id = crypto.randomUUID();
    if (replace) {
      localStorage.setItem(LAST_SCAN_KEY, id);
      state.value = null;
      warnings.value = [];
    }
    scanUuid.value = id;
    running.value = true;
    error.value = null;
    progress.value = null;
    const stop = follow(id);
    try {
      const result = await useClient().api.hostScan({ ...input, scan_uuid: id });
      hosts.value = replace ? result.hosts_info : mergeHosts(hosts.value, result.hosts_info);
      if (replace) ended(result);
      return true;
    } catch (err) {
      error.value = toApiError(err);
      return false;
    } finally {
      stop();
      running.value = false;
      scanUuid.value = null;
    }
  }

  function ended(result: HostScanResult): void {
    scanned.value = result.scanned;
    addresses.value = result.addresses;
    state.value = result.state;
    warnings.value = result.warnings;
  }

  /** Stops the running scan; it answers with what it found so far. */
  async function cancel(): Promise<void> {
    if (!scanUuid.value) return;
    try {
      await useClient().api.scanCancel({ scan_uuid: scanUuid.value });
    } catch (err) {
      error.value = toApiError(err);
    }
  }

  /** Scans begin..end and replaces the results. */
  function scanRange(input: ScanInput): Promise<boolean> {
    return run(input, true);
  }

  /** Shows the last range scan's saved results when nothing is on screen; a scan still running
   * (started before a reload) is followed until it ends. */
  async function restore(): Promise<void> {
    const id = localStorage.getItem(LAST_SCAN_KEY);
    if (!id || hosts.value.length > 0 || running.value) return;
    const outcome = await attempt(() => useClient().api.scanStatus({ scan_uuid: id }));
    if (!outcome.ok) return;
    hosts.value = outcome.value.hosts_info;
    ended(outcome.value);
    if (outcome.value.state === 'running') await followSaved(id);
  }

  async function followSaved(id: string): Promise<void> {
    running.value = true;
    scanUuid.value = id;
    const stop = follow(id);
    try {
      for (;;) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        const outcome = await attempt(() => useClient().api.scanStatus({ scan_uuid: id }));
        if (!outcome.ok) return;
        hosts.value = outcome.value.hosts_info;
        ended(outcome.value);
        if (outcome.value.state !== 'running') return;
      }
    } finally {
      stop();
      running.value = false;
      scanUuid.value = null;
    }
  }

  /** Probes a few addresses (a host added by hand, a login test) and merges what they answer. */
  function probe(input: ScanInput): Promise<boolean> {
    return run(input, false);
  }

  const vipTesting = ref(false);
  const vip = ref<VipVerdict | null>(null);

  /** Checks that a virtual IP and port are free before they are used for HA. */
  async function testVip(address: string, port: number): Promise<void> {
    vipTesting.value = true;
    vip.value = null;
    try {
      await useClient().api.vipTest({ vip: address, port });
      vip.value = { state: 'free', vip: address, port };
    } catch (err) {
      const e = toApiError(err);
      vip.value = {
        state: e.code === 'vip_in_use' ? 'in-use' : 'error',
        vip: address,
        port,
        error: e,
      };
    } finally {
      vipTesting.value = false;
    }
  }

  /** Records a host's new SSH key, exactly the fingerprint the engineer was shown. */
  function acceptHostKey(
    host: string,
    port: number,
    fingerprint: string,
  ): Promise<Outcome<KnownHostView>> {
    return attempt(() => useClient().api.knownHostAccept({ host, port, fingerprint }));
  }

  const liveHosts = computed(() => hosts.value.filter((h) => h.alive || h.ssh.state === 'open'));

  return {
    hosts,
    liveHosts,
    running,
    progress,
    error,
    scanned,
    state,
    addresses,
    warnings,
    scanRange,
    probe,
    cancel,
    restore,
    acceptHostKey,
    vip,
    vipTesting,
    testVip,
  };
});
