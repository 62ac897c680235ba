import type { OperationName } from '../../../main/contract/operations.js';

export const API_PREFIX = '/v1/topke/cluster';
export const EVENTS_PATH = '/v1/topke/events';

export interface Route {
  url: string;
  /** POST with a JSON body where the operation accepts it (nested fields such as `ssh` do not
   * fit a query string); GET with the query string otherwise. */
  method: 'POST' | 'GET';
}

/** Every operation, by name. */
export function operationNames(): OperationName[] {
  return Object.keys(__TOPKE_ROUTES__) as OperationName[];
}

export function routeOf(name: OperationName): Route {
  const route = __TOPKE_ROUTES__[name];
  return {
    url: `${API_PREFIX}${route.path}`,
    method: route.methods.includes('POST') ? 'POST' : 'GET',
  };
}
