import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { DEFAULT_TENANT_UUID } from '../../../main/contract/defaults.js';
import type { TenantView } from '../../../main/contract/results.js';
import { attempt, useClient, type ApiError } from '../api/index.js';

// The chosen tenant is remembered between sessions (it is not secret).
const KEY = 'topke.tenant';

/** Tenants (an engineer's customers or sites) and the one the history and new clusters use. */
export const useTenantsStore = defineStore('tenants', () => {
  const list = ref<TenantView[]>([]);
  const currentUuid = ref(window.localStorage.getItem(KEY) || DEFAULT_TENANT_UUID);
  const error = ref<ApiError | null>(null);
  const current = computed(() => list.value.find((t) => t.uuid === currentUuid.value) ?? null);

  async function load(): Promise<void> {
    const outcome = await attempt(() => useClient().api.tenantList({}));
    error.value = outcome.ok ? null : outcome.error;
    if (!outcome.ok) return;
    list.value = outcome.value.list;
    if (!list.value.some((t) => t.uuid === currentUuid.value)) choose(DEFAULT_TENANT_UUID);
  }

  function choose(uuid: string): void {
    currentUuid.value = uuid;
    window.localStorage.setItem(KEY, uuid);
  }

  async function create(name: string): Promise<boolean> {
    const outcome = await attempt(() => useClient().api.tenantCreate({ name }));
    error.value = outcome.ok ? null : outcome.error;
    if (!outcome.ok) return false;
    await load();
    choose(outcome.value.uuid);
    return true;
  }

  async function rename(uuid: string, name: string): Promise<boolean> {
    const outcome = await attempt(() => useClient().api.tenantRename({ uuid, name }));
    error.value = outcome.ok ? null : outcome.error;
    if (outcome.ok) await load();
    return outcome.ok;
  }

  return { list, currentUuid, current, error, load, choose, create, rename };
});
