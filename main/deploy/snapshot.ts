import type { ClusterSettings } from './plan.js';

export interface SnapshotNode {
  IP: string;
  NodeName: string;
}

/** What a deploy record keeps of its request (deploys.request): the cluster's settings and the
 * nodes of this operation, never a secret. Deploy status is read from it alone, so it still
 * answers after the cluster is removed from the history. */
export interface DeploySnapshot extends ClusterSettings {
  master_list: SnapshotNode[];
  node_list: SnapshotNode[];
}
