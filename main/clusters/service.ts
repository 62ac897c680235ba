import type { Handlers } from '../api.js';
import type { ServiceContext } from '../context.js';
import { ClusterLocks } from '../deploy/cluster-locks.js';
import { checkCluster } from './check.js';
import { deleteCluster } from './delete.js';
import { getCluster, listClusters } from './history.js';
import { addClusters } from './import.js';
import { inspectKubeconfig } from './inspect.js';
import { ClusterListQueries } from './list-query.js';
import { purgeDeploys } from './purge.js';
import { openStoredKubeconfig } from './stored-kubeconfig.js';

type ClusterOperations =
  | 'clusterAdd'
  | 'clusterDelete'
  | 'clusterGet'
  | 'clusterList'
  | 'clusterCheck'
  | 'kubeconfigInspect'
  | 'kubeconfigDownload'
  | 'deployPurge';

/** The history of deployed and imported clusters: import, list, get, check, download, remove.
 * `locks` are the deploys' (a cluster being deployed is not removed). */
export function createClusterHandlers(
  ctx: ServiceContext,
  locks = new ClusterLocks(),
): Handlers<ClusterOperations> {
  const queries = new ClusterListQueries(ctx.db);
  return {
    clusterAdd: async (req) => addClusters(ctx, req),
    clusterDelete: async (req) => deleteCluster(ctx, locks, req.uuid, req.field),
    clusterGet: async (req) =>
      getCluster(ctx, req.uuid, { field: req.field, tenant: req.tenant_uuid }),
    clusterList: async (req) => listClusters(ctx, queries, req),
    clusterCheck: async (req) => checkCluster(ctx, req.uuid, req.field),
    kubeconfigInspect: async (req) => inspectKubeconfig(req),
    kubeconfigDownload: async (req) => {
      const stored = openStoredKubeconfig(ctx, req.uuid, req.field);
      ctx.log.child({ scope: 'clusters' }).info({ uuid: req.uuid }, 'kubeconfig downloaded');
      return {
        uuid: stored.uuid,
        name: stored.name,
        file_name: `${stored.name}.kubeconfig`,
        kube_config_data: stored.text,
      };
    },
    deployPurge: async (req) => purgeDeploys(ctx, req.uuid),
  };
}
