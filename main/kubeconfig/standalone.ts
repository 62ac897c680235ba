import { exportCluster, exportUser } from '@kubernetes/client-node/dist/config_types.js';
import { stringify } from 'yaml';
import type { ContextEntry } from './context-entry.js';

/** A kubeconfig holding only `context`, its cluster and its user, every file inline: what is
 * stored (sealed) for an imported cluster and what its download gives back. */
export function standaloneKubeconfig(context: ContextEntry): string {
  const cluster = context.cluster?.cluster;
  if (!cluster) throw new Error(`context ${context.name} has no usable cluster`);
  const user = context.user?.user;
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [exportCluster(cluster)],
    users: user ? [exportUser(user)] : [],
    contexts: [
      {
        name: context.name,
        context: {
          cluster: cluster.name,
          ...(user ? { user: user.name } : {}),
          ...(context.namespace ? { namespace: context.namespace } : {}),
        },
      },
    ],
    'current-context': context.name,
    preferences: {},
  };
  return stringify(doc, { lineWidth: 0 });
}
