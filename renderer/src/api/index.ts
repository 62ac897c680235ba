import type { TopkeBridge } from '../../../main/electron/bridge.js';
import { createBridgeClient } from './bridge-client.js';
import type { TopkeClient } from './client.js';
import { createHttpClient } from './http-client.js';
import { takeApiToken } from './token.js';

export { ApiError, errorText, toApiError } from './api-error.js';
export { attempt, type Outcome } from './outcome.js';
export type { ProgressEvent, TopkeApi, TopkeClient } from './client.js';

let client: TopkeClient | null = null;

/** What the page needs before it can talk to the service. */
export type Connection = { kind: 'bridge' | 'http'; client: TopkeClient } | { kind: 'no-token' };

/** Chooses the client: the preload's bridge in the desktop window, else HTTP with the token. */
export function connect(onUnauthorized: () => void): Connection {
  const bridge = (window as Window & { topke?: TopkeBridge }).topke;
  if (bridge) {
    client = createBridgeClient(bridge);
    return { kind: 'bridge', client };
  }
  const token = takeApiToken(window.location, window.history, window.sessionStorage);
  if (!token) return { kind: 'no-token' };
  client = createHttpClient({ token, onUnauthorized });
  return { kind: 'http', client };
}

/** For stores only: components go through a store, never to the client. */
export function useClient(): TopkeClient {
  if (!client) throw new Error('the API client is used before connect()');
  return client;
}
