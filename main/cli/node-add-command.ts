import { splitCommas } from '../contract/comma-list.js';
import { invalidField } from '../contract/errors.js';
import type { TopkeApi } from '../contract/operations.js';
import type { DeployStatusResult } from '../contract/results.js';
import type { ServiceContext } from '../context.js';
import { followDeploy } from './follow-deploy.js';

export interface NodeAddOptions {
  /** --name: one node name per address, comma-separated in the same order. */
  names?: string | undefined;
  ssh?: Record<string, unknown> | undefined;
  followOutput: boolean;
}

function required(value: string | undefined, field: string, what: string, whatCn: string) {
  if (!value) throw invalidField(field, `is required: ${what}`, `为必填项：${whatCn}`);
  return value;
}

/** The request's node_list: each address with the name given for it, if any. */
function nodeList(ips: string[], names: string | undefined) {
  if (names === undefined) return ips.map((IP) => ({ IP }));
  const given = splitCommas(names);
  if (given.length !== ips.length)
    throw invalidField(
      '--name',
      `gives ${given.length} node names for ${ips.length} addresses: give one NODENAME per IP, comma-separated in the same order`,
      `为 ${ips.length} 个地址给出了 ${given.length} 个节点名：请为每个 IP 给出一个 NODENAME，用逗号分隔，顺序一致`,
    );
  return ips.map((IP, i) => ({ IP, NodeName: given[i] }));
}

/** `topke node add UUID IP[,IP...]`: the node create of those workers, followed to its end as
 * `topke deploy` follows a deploy. Without --user, --key or TOPKE_SSH_PASSWORD the new nodes are
 * logged in to with the cluster's stored credentials. */
export function nodeAddCommand(
  ctx: ServiceContext,
  api: TopkeApi,
  words: string[],
  options: NodeAddOptions,
): Promise<DeployStatusResult> {
  const uuid = required(words[0], 'UUID', 'the cluster to add to', '要添加节点的集群');
  const ips = splitCommas(
    required(words[1], 'IP', 'the new workers’ addresses', '新工作节点的地址'),
  );
  const request = {
    uuid,
    node_list: nodeList(ips, options.names),
    ...(options.ssh ? { ssh: options.ssh } : {}),
  };
  const start = () => api.nodeCreate(request as Parameters<TopkeApi['nodeCreate']>[0]);
  return followDeploy(
    ctx,
    api,
    { what: 'node create', whatCn: '添加节点', start },
    options.followOutput,
  );
}
