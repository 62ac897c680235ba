import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { DeployStatusResult, DeploySummary } from '../../../main/contract/results.js';
import { attempt, useClient, type ApiError, type ProgressEvent } from '../api/index.js';
import { followOutput, type LiveOutputs } from './live-output.js';

/** Progress events ask for a fresh list and status, at most this often. */
const EVENT_REFRESH_MS = 250;

/** The deploys of the cluster the detail view shows (its first deploy, each deploy run again,
 * each node create), newest first, and the one picked with its stages, hosts, steps and output.
 * While a deploy of that cluster runs, its progress events bring both up to date, and the shown
 * deploy's running steps' output as it comes. */
export const useDeployHistoryStore = defineStore('deployHistory', () => {
  const clusterUuid = ref<string | null>(null);
  const list = shallowRef<DeploySummary[]>([]);
  const loaded = ref(false);
  /** The deploy_id of the deploy shown. */
  const picked = ref<string | null>(null);
  const shown = shallowRef<DeployStatusResult | null>(null);
  const error = ref<ApiError | null>(null);
  const liveOutput = shallowRef<LiveOutputs>({});
  let stopEvents: (() => void) | null = null;
  let eventTimer: ReturnType<typeof setTimeout> | null = null;
  let followLatest = true;

  async function readList(uuid: string): Promise<void> {
    const outcome = await attempt(() => useClient().api.deployList({ uuid }));
    if (uuid !== clusterUuid.value) return;
    error.value = outcome.ok ? null : outcome.error;
    if (!outcome.ok) return;
    list.value = outcome.value.list;
    loaded.value = true;
  }

  async function readShown(uuid: string, deployId: string): Promise<void> {
    const outcome = await attempt(() =>
      useClient().api.deployStatus({ uuid, deploy_id: deployId }),
    );
    if (uuid !== clusterUuid.value || deployId !== picked.value) return;
    error.value = outcome.ok ? null : outcome.error;
    if (outcome.ok) shown.value = outcome.value;
  }

  async function show(deployId: string): Promise<void> {
    const uuid = clusterUuid.value;
    if (!uuid) return;
    picked.value = deployId;
    shown.value = null;
    liveOutput.value = {};
    await readShown(uuid, deployId);
  }

  /** Shows the deploy the engineer picked from the list. Picking the latest follows the latest:
   * a node create started meanwhile is shown when it appears. */
  function pick(deployId: string): Promise<void> {
    followLatest = deployId === list.value[0]?.deploy_id;
    return show(deployId);
  }

  async function refresh(): Promise<void> {
    const uuid = clusterUuid.value;
    if (!uuid) return;
    await readList(uuid);
    const latest = list.value[0]?.deploy_id;
    if (followLatest && latest && latest !== picked.value) return show(latest);
    if (picked.value) await readShown(uuid, picked.value);
  }

  function onEvent(event: ProgressEvent): void {
    if (!('uuid' in event) || event.uuid !== clusterUuid.value) return;
    if ('deploy_id' in event && event.deploy_id === picked.value)
      liveOutput.value = followOutput(liveOutput.value, event);
    // Output lines do not ask for the list or the status: the page shows them from the events.
    if (event.kind !== 'deploy') return;
    eventTimer ??= setTimeout(() => {
      eventTimer = null;
      void refresh();
    }, EVENT_REFRESH_MS);
  }

  /** Reads a cluster's deploys and shows the latest; follows its progress until close(). */
  async function open(uuid: string): Promise<void> {
    close();
    clusterUuid.value = uuid;
    followLatest = true;
    stopEvents = useClient().onProgress(onEvent);
    await refresh();
  }

  /** Shows the newest deploy again and follows the newest from now on (a node create just
   * started appears as the newest). */
  function followNewest(): Promise<void> {
    followLatest = true;
    return refresh();
  }

  /** Forgets the cluster and stops following its progress. */
  function close(): void {
    stopEvents?.();
    stopEvents = null;
    if (eventTimer) clearTimeout(eventTimer);
    eventTimer = null;
    clusterUuid.value = null;
    list.value = [];
    loaded.value = false;
    picked.value = null;
    shown.value = null;
    error.value = null;
    liveOutput.value = {};
  }

  return {
    clusterUuid,
    list,
    loaded,
    picked,
    shown,
    error,
    liveOutput,
    open,
    pick,
    followNewest,
    close,
  };
});
