import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { OperationInput } from '../../../main/contract/operations.js';
import type {
  DeployStatusResult,
  PreflightFixResult,
  PreflightResult,
} from '../../../main/contract/results.js';
import { toApiError, useClient, type ApiError, type ProgressEvent } from '../api/index.js';
import { followOutput, type LiveOutputs } from './live-output.js';

const POLL_MS = 1500;
/** Progress events ask for a fresh status, at most this often. */
const EVENT_REFRESH_MS = 250;

export interface LiveStep {
  step: string;
  state: string;
  message?: string;
}

/** One deploy, followed live: its status from the service (polled, and refreshed when progress
 * events arrive), the latest step per host and its output as it comes. The deploy request (with
 * its credentials) is sent and forgotten. */
export const useDeployStore = defineStore('deploy', () => {
  const uuid = ref<string | null>(null);
  const status = shallowRef<DeployStatusResult | null>(null);
  const starting = ref(false);
  const error = ref<ApiError | null>(null);
  const liveSteps = ref<Record<string, LiveStep>>({});
  const liveOutput = shallowRef<LiveOutputs>({});
  const preflight = shallowRef<PreflightResult | PreflightFixResult | null>(null);
  const checking = ref(false);
  const preflightError = ref<ApiError | null>(null);
  let stopEvents: (() => void) | null = null;
  let pollTimer: ReturnType<typeof setTimeout> | null = null;
  let eventTimer: ReturnType<typeof setTimeout> | null = null;

  const isOver = computed(() => status.value?.is_over ?? false);
  const state = computed(() => status.value?.DeployStage.State ?? 'pending');

  function onEvent(event: ProgressEvent): void {
    if (!('uuid' in event) || event.uuid !== uuid.value) return;
    liveOutput.value = followOutput(liveOutput.value, event);
    // Output lines do not ask for the status: the page shows them from the events.
    if (event.kind !== 'deploy') return;
    if (event.host && event.step) {
      const live: LiveStep = { step: event.step, state: event.state, message: event.message };
      liveSteps.value = { ...liveSteps.value, [event.host]: live };
    }
    eventTimer ??= setTimeout(() => {
      eventTimer = null;
      void refresh();
    }, EVENT_REFRESH_MS);
  }

  function stopFollowing(): void {
    stopEvents?.();
    stopEvents = null;
    if (pollTimer) clearTimeout(pollTimer);
    if (eventTimer) clearTimeout(eventTimer);
    pollTimer = eventTimer = null;
  }

  async function refresh(): Promise<void> {
    const id = uuid.value;
    if (!id) return;
    try {
      const next = await useClient().api.deployStatus({ uuid: id });
      if (id !== uuid.value) return;
      status.value = next;
      error.value = null;
    } catch (err) {
      error.value = toApiError(err);
    }
    if (status.value?.is_over) stopFollowing();
  }

  async function poll(): Promise<void> {
    await refresh();
    if (stopEvents) pollTimer = setTimeout(() => void poll(), POLL_MS);
  }

  /** Shows a deploy (a new one, or one from the history) and follows it until it is over. */
  function follow(id: string): void {
    stopFollowing();
    uuid.value = id;
    status.value = null;
    liveSteps.value = {};
    liveOutput.value = {};
    stopEvents = useClient().onProgress(onEvent);
    void poll();
  }

  /** Starts a deploy; resolves with its uuid, or null when the service refused the request. */
  async function start(request: OperationInput<'deploy'>): Promise<string | null> {
    starting.value = true;
    error.value = null;
    try {
      const { uuid: id } = await useClient().api.deploy(request);
      follow(id);
      return id;
    } catch (err) {
      error.value = toApiError(err);
      return null;
    } finally {
      starting.value = false;
    }
  }

  async function checked(work: () => Promise<PreflightResult>): Promise<void> {
    checking.value = true;
    preflightError.value = null;
    try {
      preflight.value = await work();
    } catch (err) {
      preflightError.value = toApiError(err);
    } finally {
      checking.value = false;
    }
  }

  /** Checks the plan's hosts before anything is changed on them. */
  function runPreflight(input: OperationInput<'preflight'>): Promise<void> {
    return checked(() => useClient().api.preflight(input));
  }

  /** Applies the safe fixes to the failing checks, then shows the checks run again. */
  function fixPreflight(input: OperationInput<'preflightFix'>): Promise<void> {
    return checked(() => useClient().api.preflightFix(input));
  }

  /** Forgets the deploy shown (it goes on in the service) and the preflight results. */
  function clear(): void {
    stopFollowing();
    uuid.value = null;
    status.value = null;
    error.value = null;
    liveSteps.value = {};
    liveOutput.value = {};
    preflight.value = null;
    preflightError.value = null;
  }

  return {
    uuid,
    status,
    starting,
    error,
    liveSteps,
    liveOutput,
    isOver,
    state,
    start,
    follow,
    refresh,
    clear,
    preflight,
    checking,
    preflightError,
    runPreflight,
    fixPreflight,
  };
});
