import type { OperationName, TopkeApi } from '../../../main/contract/operations.js';
import { ApiError, unreachableError } from './api-error.js';
import type { TopkeClient } from './client.js';
import { unwrapEnvelope } from './envelope.js';
import { EVENTS_PATH, operationNames, routeOf } from './routes.js';
import { createProgressStream } from './sse.js';

export interface HttpClientOptions {
  /** Where the service listens; the page's own origin by default. */
  baseUrl?: string;
  token: string;
  /** Called once when the service refuses the token, so the app can say how to get a new one. */
  onUnauthorized?: () => void;
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    throw new ApiError({
      code: 'internal',
      message: `the service answered HTTP ${response.status} with something that is not JSON`,
      messageCn: `服务返回 HTTP ${response.status}，内容不是 JSON`,
    });
  }
}

/** The headless mode's client: the spec's HTTP API with the Bearer token, progress over SSE. */
export function createHttpClient(options: HttpClientOptions): TopkeClient {
  const base = options.baseUrl ?? '';
  const headers = { authorization: `Bearer ${options.token}` };

  function request(name: OperationName, input: unknown): Promise<Response> {
    const route = routeOf(name);
    if (route.method === 'GET') {
      const query = new URLSearchParams(input as Record<string, string>).toString();
      return fetch(`${base}${route.url}${query ? `?${query}` : ''}`, { headers });
    }
    return fetch(`${base}${route.url}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(input ?? {}),
    });
  }

  async function call(name: OperationName, input: unknown): Promise<unknown> {
    let response: Response;
    try {
      response = await request(name, input);
    } catch (err) {
      throw unreachableError(err instanceof Error ? err.message : String(err));
    }
    if (response.status === 401) options.onUnauthorized?.();
    return unwrapEnvelope(await readJson(response), response.status);
  }

  const api = {} as Record<OperationName, (input: unknown) => Promise<unknown>>;
  for (const name of operationNames()) {
    api[name] = (input) => call(name, input);
  }
  return {
    api: api as unknown as TopkeApi,
    onProgress: createProgressStream(`${base}${EVENTS_PATH}`, headers),
    // A browser never tells a page where a file lives.
    pathForFile: () => '',
  };
}
