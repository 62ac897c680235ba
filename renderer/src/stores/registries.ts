import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type {
  ClusterView,
  RegistryDistributeItem,
  RegistryView,
} from '../../../main/contract/results.js';
import { attempt, useClient, type ApiError, type Outcome } from '../api/index.js';
import { useTenantsStore } from './tenants.js';

/** What the editor sends. The password passes through to the service and is never kept here:
 * `null` keeps the stored one, "" removes it. */
export interface RegistryDraft {
  address: string;
  project: string;
  user: string;
  ca_cert: string;
  password: string | null;
}

/** The most clusters the distribute picker lists (the tenant's, by name). */
const PICKER_LIMIT = 1000;

/** The managed registries (never their passwords: the service tells only whether one is set),
 * and the clusters of the current tenant that their CA can be distributed to. */
export const useRegistriesStore = defineStore('registries', () => {
  const list = shallowRef<RegistryView[]>([]);
  const clusters = shallowRef<ClusterView[]>([]);
  const error = ref<ApiError | null>(null);
  const tenants = useTenantsStore();

  async function load(): Promise<void> {
    const outcome = await attempt(() => useClient().api.registryList({}));
    error.value = outcome.ok ? null : outcome.error;
    if (outcome.ok) list.value = outcome.value.list;
  }

  async function loadClusters(): Promise<void> {
    const outcome = await attempt(() =>
      useClient().api.clusterList({ tenant_uuid: tenants.currentUuid, limit: PICKER_LIMIT }),
    );
    error.value = outcome.ok ? null : outcome.error;
    if (outcome.ok) clusters.value = outcome.value.list;
  }

  /** Creates (no uuid) or updates a registry; the caller shows a failure beside its form. */
  async function save(uuid: string | null, draft: RegistryDraft): Promise<Outcome<RegistryView>> {
    const { password, ...fields } = draft;
    const api = useClient().api;
    const outcome = await attempt(() =>
      uuid
        ? api.registryUpdate({
            registry_uuid: uuid,
            ...fields,
            ...(password !== null && { password }),
          })
        : api.registryCreate({ ...fields, password: password ?? '' }),
    );
    if (outcome.ok) await load();
    return outcome;
  }

  async function remove(uuid: string, force: boolean): Promise<Outcome<unknown>> {
    const outcome = await attempt(() =>
      useClient().api.registryDelete({ registry_uuid: uuid, force }),
    );
    if (outcome.ok) await load();
    return outcome;
  }

  /** Puts the registry's CA on every node of one cluster; the answer says it per node. */
  async function distribute(
    uuid: string,
    cluster: string,
  ): Promise<Outcome<RegistryDistributeItem>> {
    const outcome = await attempt(() =>
      useClient().api.registryDistribute({
        registry: { registry_uuid: uuid },
        clusters: [cluster],
      }),
    );
    return outcome.ok ? { ok: true, value: outcome.value.results[0]! } : outcome;
  }

  return { list, clusters, error, load, loadClusters, save, remove, distribute };
});
