import { notImplemented } from '../contract/errors.js';
import type { Handlers } from '../api.js';
import type { ServiceContext } from '../context.js';
import { deleteCluster } from './delete.js';
import { getCluster, listClusters } from './history.js';
import { ClusterListQueries } from './list-query.js';

/** Cluster add, delete, get and list: the history of deployed and imported clusters. */
export function createClusterHandlers(
  ctx: ServiceContext,
): Handlers<'clusterAdd' | 'clusterDelete' | 'clusterGet' | 'clusterList'> {
  const queries = new ClusterListQueries(ctx.db);
  return {
    clusterAdd: async () => {
      throw notImplemented('cluster add');
    },
    clusterDelete: async (req) => deleteCluster(ctx, req.uuid),
    clusterGet: async (req) => getCluster(ctx, req.uuid),
    clusterList: async (req) => listClusters(ctx, queries, req),
  };
}
