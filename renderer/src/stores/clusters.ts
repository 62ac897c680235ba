import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import { CLUSTER_SORT_KEYS } from '../../../main/contract/defaults.js';
import type { OperationInput } from '../../../main/contract/operations.js';
import type {
  ClusterAddResult,
  ClusterView,
  DeployPurgeResult,
  KubeconfigDownloadResult,
  KubeconfigInspectResult,
} from '../../../main/contract/results.js';
import { attempt, useClient, type ApiError, type Outcome } from '../api/index.js';
import { useTenantsStore } from './tenants.js';

export type ClusterSortKey = (typeof CLUSTER_SORT_KEYS)[number];

/** Filter typing waits this long before asking the service. */
const FILTER_DELAY_MS = 250;

/** The history of deployed and imported clusters of the current tenant, one page at a time:
 * the service sorts, filters and pages (a history may hold 10,000 clusters). Kubeconfigs pass
 * through (inspect, import, download) and are never kept. */
export const useClustersStore = defineStore('clusters', () => {
  const items = shallowRef<ClusterView[]>([]);
  const loaded = ref(false);
  const loading = ref(false);
  const checking = ref(false);
  const error = ref<ApiError | null>(null);
  const sortBy = ref<ClusterSortKey>('TopKESortByCreateTime');
  const sortDesc = ref(true);
  const filter = ref('');
  const page = ref(1);
  const pageSize = ref(50);
  const total = ref(0);
  /** The filter the shown page answers (typing changes `filter` first). */
  const shownFilter = ref('');
  let filterTimer: ReturnType<typeof setTimeout> | null = null;
  const current = shallowRef<ClusterView | null>(null);
  const tenants = useTenantsStore();

  async function guard<T>(work: () => Promise<T>): Promise<T | null> {
    const outcome = await attempt(work);
    error.value = outcome.ok ? null : outcome.error;
    return outcome.ok ? outcome.value : null;
  }

  async function load(): Promise<void> {
    loading.value = true;
    const result = await guard(() =>
      useClient().api.clusterList({
        tenant_uuid: tenants.currentUuid,
        sort_by: sortBy.value,
        sort_desc: sortDesc.value,
        filter: filter.value.trim(),
        offset: (page.value - 1) * pageSize.value,
        limit: pageSize.value,
      }),
    );
    loading.value = false;
    if (!result) return;
    items.value = result.list;
    total.value = result.total_count;
    shownFilter.value = filter.value.trim();
    loaded.value = true;
  }

  function setSort(key: ClusterSortKey, desc: boolean): Promise<void> {
    sortBy.value = key;
    sortDesc.value = desc;
    page.value = 1;
    return load();
  }

  function setPage(next: number): Promise<void> {
    page.value = next;
    return load();
  }

  function setPageSize(next: number): Promise<void> {
    pageSize.value = next;
    page.value = 1;
    return load();
  }

  /** Filters by text (name, state, version, source, addresses), once typing pauses. */
  function setFilter(text: string): void {
    filter.value = text;
    if (filterTimer) clearTimeout(filterTimer);
    filterTimer = setTimeout(() => {
      filterTimer = null;
      page.value = 1;
      void load();
    }, FILTER_DELAY_MS);
  }

  /** Reads one cluster (with its nodes and settings) into `current`. */
  async function open(uuid: string): Promise<void> {
    current.value = null;
    const result = await guard(() => useClient().api.clusterGet({ uuid }));
    current.value = result?.list[0] ?? null;
  }

  function replace(fresh: ClusterView): void {
    items.value = items.value.map((c) => (c.uuid === fresh.uuid ? fresh : c));
    if (current.value?.uuid === fresh.uuid) current.value = fresh;
  }

  /** Reads a cluster again (its nodes after a node create) without closing what shows it. */
  async function reread(uuid: string): Promise<void> {
    const result = await guard(() => useClient().api.clusterGet({ uuid }));
    if (result?.list[0]) replace(result.list[0]);
  }

  /** Asks the cluster's API server again for its state and version. */
  async function check(uuid: string): Promise<void> {
    checking.value = true;
    const result = await guard(() => useClient().api.clusterCheck({ uuid }));
    checking.value = false;
    if (result?.list[0]) replace(result.list[0]);
  }

  /** Removes a cluster from the history; the cluster itself is not touched. */
  async function remove(uuid: string): Promise<boolean> {
    const done = await guard(() => useClient().api.clusterDelete({ uuid }));
    if (done === null) return false;
    // `current` stays until the caller leaves the detail view: clearing it here would unmount
    // the view (and the dialog that asked) before it could navigate away.
    items.value = items.value.filter((c) => c.uuid !== uuid);
    total.value = Math.max(0, total.value - 1);
    return true;
  }

  /** Deletes the kept deploy records of clusters removed from the history. */
  function purgeDeploys(): Promise<Outcome<DeployPurgeResult>> {
    return attempt(() => useClient().api.deployPurge({}));
  }

  /** Reads a kubeconfig's contexts (and, with probe, whether their servers answer). */
  function inspectKubeconfig(
    input: OperationInput<'kubeconfigInspect'>,
  ): Promise<Outcome<KubeconfigInspectResult>> {
    return attempt(() => useClient().api.kubeconfigInspect(input));
  }

  /** Imports contexts of a kubeconfig into the current tenant; the list is read again after. */
  async function importKubeconfig(
    input: Omit<OperationInput<'clusterAdd'>, 'tenant_uuid'>,
  ): Promise<Outcome<ClusterAddResult>> {
    const outcome = await attempt(() =>
      useClient().api.clusterAdd({ ...input, tenant_uuid: tenants.currentUuid }),
    );
    if (outcome.ok) await load();
    return outcome;
  }

  /** Where a picked file lives on disk, so its relative certificate paths resolve ('' if unknown). */
  function pathForFile(file: File): string {
    return useClient().pathForFile(file);
  }

  /** The stored kubeconfig in clear, for a download the engineer asked for. */
  function downloadKubeconfig(uuid: string): Promise<Outcome<KubeconfigDownloadResult>> {
    return attempt(() => useClient().api.kubeconfigDownload({ uuid }));
  }

  return {
    items,
    loaded,
    loading,
    checking,
    error,
    sortBy,
    sortDesc,
    filter,
    page,
    pageSize,
    total,
    shownFilter,
    current,
    load,
    setSort,
    setPage,
    setPageSize,
    setFilter,
    open,
    reread,
    check,
    remove,
    purgeDeploys,
    inspectKubeconfig,
    importKubeconfig,
    pathForFile,
    downloadKubeconfig,
  };
});
