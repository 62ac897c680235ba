import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { OperationInput } from '../../../main/contract/operations.js';
import { attempt, useClient, type ApiError } from '../api/index.js';
import { useDeployHistoryStore } from './deploy-history.js';

/** Adding workers to the cluster the detail view shows. The request (with its credentials) is
 * sent and forgotten; the progress is the cluster's newest deploy, which the deploy history
 * follows. */
export const useNodeCreateStore = defineStore('nodeCreate', () => {
  const starting = ref(false);
  const error = ref<ApiError | null>(null);

  /** Starts the node create; answers whether the service took it. */
  async function start(request: OperationInput<'nodeCreate'>): Promise<boolean> {
    starting.value = true;
    const outcome = await attempt(() => useClient().api.nodeCreate(request));
    starting.value = false;
    error.value = outcome.ok ? null : outcome.error;
    if (outcome.ok) await useDeployHistoryStore().followNewest();
    return outcome.ok;
  }

  function clear(): void {
    error.value = null;
  }

  return { starting, error, start, clear };
});
