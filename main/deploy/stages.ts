/** The four stages of a deploy, named as in the spec's status example (name_cn included). */
export const STAGES = [
  { name: 'init node status', name_cn: '注册集群信息到部署节点' },
  { name: 'setup masters', name_cn: '部署管理节点, 该过程会持续4-6分钟' },
  { name: 'update cluster certificate', name_cn: '更新集群证书' },
  { name: 'setup workers', name_cn: '部署工作节点' },
] as const;

export const STAGE = { nodes: 0, masters: 1, certificates: 2, workers: 3 } as const;
export type StageIndex = (typeof STAGE)[keyof typeof STAGE];

/** Per-host messages in total_status, as the spec's example spells them. */
export const HOST_STATE = {
  waiting: 'uninitialized',
  working: 'deploying',
  done: 'deployed',
  failed: 'failed',
} as const;
