import { notFound, TopkeError } from '../contract/errors.js';
import type { SshCredentials } from '../contract/schemas.js';
import type { ServiceContext } from '../context.js';
import { openStoredKubeconfig } from '../clusters/stored-kubeconfig.js';
import { clusterNodes, findCluster, type ClusterRecord } from '../deploy/cluster-store.js';
import { sshTarget, type DeployHost, type StoredCredentials } from '../deploy/hosts.js';
import { nodesFromApiServer } from './api-nodes.js';

/** A cluster to distribute to: its record and its nodes with their logins. */
export interface ClusterHosts {
  cluster: ClusterRecord;
  hosts: DeployHost[];
}

function refused(uuid: string, en: string, cn: string): TopkeError {
  return new TopkeError({
    code: 'invalid_field',
    field: 'clusters',
    message: `clusters: cluster ${uuid} ${en}`,
    messageCn: `clusters：集群 ${uuid} ${cn}`,
  });
}

function storedCredentials(ctx: ServiceContext, cluster: ClusterRecord): StoredCredentials | null {
  return cluster.ssh_enc
    ? (JSON.parse(ctx.secrets.open(cluster.ssh_enc)) as StoredCredentials)
    : null;
}

interface NodeToReach {
  ip: string;
  node_name: string;
  role: 'master' | 'worker';
  position: number;
}

/** The nodes to reach: a deployed cluster's running nodes on record (one that failed, stopped or
 * was never reached in its deploy or node create is not part of the cluster yet, and the deploy
 * run again for it configures its registry); an imported cluster's as its API server lists
 * them. */
async function nodesOf(ctx: ServiceContext, cluster: ClusterRecord): Promise<NodeToReach[]> {
  const recorded = clusterNodes(ctx.db, cluster.uuid).filter((n) => n.state === 'running');
  if (recorded.length > 0 || cluster.source !== 'imported') return recorded;
  const { text } = openStoredKubeconfig(ctx, cluster.uuid);
  const listed = await nodesFromApiServer(text, cluster.name);
  return listed.map((n, position) => ({ ip: n.ip, node_name: n.name, role: n.role, position }));
}

/** The nodes of a cluster with their logins: the credentials sealed on the cluster by its
 * deploy, else the request's `ssh`. Throws a TopkeError naming the cluster when there is
 * nothing to reach. */
export async function clusterHosts(
  ctx: ServiceContext,
  uuid: string,
  ssh: SshCredentials | undefined,
): Promise<ClusterHosts> {
  const cluster = findCluster(ctx.db, uuid);
  if (!cluster) throw notFound('cluster', '集群', uuid, 'clusters');
  if (cluster.state === 'deploying')
    throw refused(
      uuid,
      'is being deployed; distribute once the deploy has ended',
      '正在部署中，请在部署结束后再分发',
    );
  const nodes = await nodesOf(ctx, cluster);
  if (nodes.length === 0)
    throw refused(
      uuid,
      `(${cluster.name}) has no running node on record to put the certificate on`,
      `（${cluster.name}）没有可下发证书的运行中节点记录`,
    );
  const stored = storedCredentials(ctx, cluster);
  const base = stored?.ssh ?? ssh;
  const hosts = nodes.map((n) => ({
    ip: n.ip,
    nodeName: n.node_name,
    role: n.role,
    position: n.position,
    target: sshTarget(n.ip, base, stored?.nodes[n.ip], 'ssh'),
  }));
  return { cluster, hosts };
}
