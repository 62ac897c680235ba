/** The four stages of a deploy, named as in the spec's status example (name_cn included). */
export const STAGES = [
  { name: 'init node status', name_cn: '注册集群信息到部署节点' },
  { name: 'setup masters', name_cn: '部署管理节点, 该过程会持续4-6分钟' },
  { name: 'update cluster certificate', name_cn: '更新集群证书' },
  { name: 'setup workers', name_cn: '部署工作节点' },
] as const;

export const STAGE = { nodes: 0, masters: 1, certificates: 2, workers: 3 } as const;
export type StageIndex = (typeof STAGE)[keyof typeof STAGE];

/** Per-host messages in total_status: the spec's example spells the first two. Once the deploy
 * is over, each host says where it ended: deployed, failed (at its last step), stopped (work done
 * on it, cut short by another host's failure or an interruption) or not_reached (nothing ran). */
export const HOST_STATE = {
  waiting: 'uninitialized',
  working: 'deploying',
  done: 'deployed',
  failed: 'failed',
  stopped: 'stopped',
  notReached: 'not_reached',
} as const;
export type HostMessage = (typeof HOST_STATE)[keyof typeof HOST_STATE];

/** The state of a host's node in cluster list and get, for each message: both say the same. */
export const NODE_STATE: Record<HostMessage, string> = {
  uninitialized: 'deploying',
  deploying: 'deploying',
  deployed: 'running',
  failed: 'failed',
  stopped: 'stopped',
  not_reached: 'not_reached',
};
