import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { CLUSTER_SORT_KEYS } from '../../../main/contract/defaults.js';
import type { OperationInput } from '../../../main/contract/operations.js';
import type {
  ClusterAddResult,
  ClusterView,
  DeployStatusResult,
} from '../../../main/contract/results.js';
import { toApiError, useClient, type ApiError } from '../api/index.js';
import { matchesFilter } from './cluster-filter.js';

export type ClusterSortKey = (typeof CLUSTER_SORT_KEYS)[number];

/** The history of deployed and imported clusters: sorted by the service, filtered here. */
export const useClustersStore = defineStore('clusters', () => {
  const items = shallowRef<ClusterView[]>([]);
  const loaded = ref(false);
  const loading = ref(false);
  const error = ref<ApiError | null>(null);
  const sortBy = ref<ClusterSortKey>('TopKESortByCreateTime');
  const sortDesc = ref(true);
  const filter = ref('');
  const current = shallowRef<ClusterView | null>(null);
  const currentDeploy = shallowRef<DeployStatusResult | null>(null);

  const visible = computed(() => {
    const text = filter.value.trim().toLowerCase();
    return text ? items.value.filter((c) => matchesFilter(c, text)) : items.value;
  });

  async function guard<T>(work: () => Promise<T>): Promise<T | null> {
    error.value = null;
    try {
      return await work();
    } catch (err) {
      error.value = toApiError(err);
      return null;
    }
  }

  async function load(): Promise<void> {
    loading.value = true;
    const result = await guard(() =>
      useClient().api.clusterList({ sort_by: sortBy.value, sort_desc: sortDesc.value }),
    );
    loading.value = false;
    if (!result) return;
    items.value = result.list;
    loaded.value = true;
  }

  function setSort(key: ClusterSortKey, desc: boolean): Promise<void> {
    sortBy.value = key;
    sortDesc.value = desc;
    return load();
  }

  /** Reads one cluster (with its nodes and settings) into `current`. */
  async function open(uuid: string): Promise<void> {
    current.value = null;
    const result = await guard(() => useClient().api.clusterGet({ uuid }));
    current.value = result?.list[0] ?? null;
  }

  /** Reads the deploy record of a deployed cluster (stages, hosts, step outputs). */
  async function openDeploy(uuid: string): Promise<void> {
    currentDeploy.value = null;
    try {
      currentDeploy.value = await useClient().api.deployStatus({ uuid });
    } catch {
      // An imported cluster has no deploy record; the detail view then shows none.
    }
  }

  /** Removes a cluster from the history; the cluster itself is not touched. */
  async function remove(uuid: string): Promise<boolean> {
    const done = await guard(() => useClient().api.clusterDelete({ uuid }));
    if (done === null) return false;
    items.value = items.value.filter((c) => c.uuid !== uuid);
    if (current.value?.uuid === uuid) current.value = null;
    return true;
  }

  /** Imports a cluster from a kubeconfig; the list is read again afterwards. */
  async function importKubeconfig(
    input: OperationInput<'clusterAdd'>,
  ): Promise<ClusterAddResult | null> {
    const result = await guard(() => useClient().api.clusterAdd(input));
    if (result) await load();
    return result;
  }

  return {
    items,
    visible,
    loaded,
    loading,
    error,
    sortBy,
    sortDesc,
    filter,
    current,
    currentDeploy,
    load,
    setSort,
    open,
    openDeploy,
    remove,
    importKubeconfig,
  };
});
