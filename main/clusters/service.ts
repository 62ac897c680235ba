import { notImplemented } from '../contract/errors.js';
import type { Handlers } from '../api.js';
import type { ServiceContext } from '../context.js';

export function createClusterHandlers(
  _ctx: ServiceContext,
): Handlers<'clusterAdd' | 'clusterDelete' | 'clusterGet' | 'clusterList'> {
  return {
    clusterAdd: async () => {
      throw notImplemented('cluster add');
    },
    clusterDelete: async () => {
      throw notImplemented('cluster delete');
    },
    clusterGet: async () => {
      throw notImplemented('cluster get');
    },
    clusterList: async () => {
      throw notImplemented('cluster list');
    },
  };
}
