import { defineStore } from 'pinia';
import { ref } from 'vue';

export type ConnectionKind = 'bridge' | 'http' | 'no-token';

/** How this page reaches the service, and whether the service has refused our token. */
export const useConnectionStore = defineStore('connection', () => {
  const kind = ref<ConnectionKind>('no-token');
  const unauthorized = ref(false);

  function connected(next: ConnectionKind): void {
    kind.value = next;
  }

  function refused(): void {
    unauthorized.value = true;
  }

  return { kind, unauthorized, connected, refused };
});
