import { randomUUID } from 'node:crypto';
import { openBundle } from '../bundle/open.js';
import { invalidField, notFound } from '../contract/errors.js';
import type { NodeCreateRequest } from '../contract/schemas.js';
import type { ServiceContext } from '../context.js';
import type { z } from 'zod';
import { clusterNodes, findCluster, type ClusterRecord, type NodeRecord } from './cluster-store.js';
import {
  checkUniqueHosts,
  listHosts,
  sshTarget,
  targetSecrets,
  type DeployHost,
  type StoredCredentials,
} from './hosts.js';
import { checkHostsUnowned } from './host-owners.js';
import type { ClusterSettings, DeployPlan } from './plan.js';
import { checkNewNodeNetworks } from './plan-checks.js';
import { nodeList } from './prepare.js';
import { createRedactor } from './redact.js';
import { registryView, resolveRegistry } from './registry.js';
import type { DeploySnapshot } from './snapshot.js';

type Request = z.output<typeof NodeCreateRequest>;

/** A cluster nodes may be added to: one TopKE deployed, running. */
export function usableCluster(ctx: ServiceContext, uuid: string): ClusterRecord {
  const cluster = findCluster(ctx.db, uuid);
  if (!cluster) throw notFound('cluster', '集群', uuid);
  if (cluster.source !== 'deployed' || !cluster.ssh_enc)
    throw invalidField(
      'uuid',
      'is an imported cluster: nodes can only be added to clusters TopKE deployed',
      '是导入的集群：只能向 TopKE 部署的集群添加节点',
    );
  if (cluster.state !== 'running')
    throw invalidField(
      'uuid',
      `the cluster is ${cluster.state}; nodes can only be added to a running cluster`,
      `集群状态为 ${cluster.state}，只能向运行中的集群添加节点`,
    );
  return cluster;
}

function mastersOf(nodes: NodeRecord[], stored: StoredCredentials): DeployHost[] {
  return nodes
    .filter((n) => n.role === 'master')
    .sort((a, b) => a.position - b.position)
    .map((n) => ({
      ip: n.ip,
      nodeName: n.node_name,
      role: 'master' as const,
      position: n.position,
      target: sshTarget(n.ip, stored.ssh, stored.nodes[n.ip], 'ssh'),
    }));
}

/** Workers an earlier deploy or node create did not finish: given again, each is set up again in
 * its place (its position, and its name unless a new one is given). */
const UNFINISHED = new Set(['failed', 'stopped', 'not_reached']);

function newWorkers(
  req: Request,
  stored: StoredCredentials,
  nodes: NodeRecord[],
): { workers: DeployHost[]; again: Map<string, NodeRecord> } {
  const requested = new Set(req.node_list.map((e) => e.IP));
  const again = new Map(
    nodes
      .filter((n) => n.role === 'worker' && UNFINISHED.has(n.state) && requested.has(n.ip))
      .map((n) => [n.ip, n]),
  );
  const offset =
    Math.max(-1, ...nodes.filter((n) => n.role === 'worker').map((n) => n.position)) + 1;
  const entries = req.node_list.map((e) =>
    e.NodeName || !again.has(e.IP) ? e : { ...e, NodeName: again.get(e.IP)!.node_name },
  );
  const workers = listHosts(entries, 'worker', req.ssh ?? stored.ssh, 'node_list');
  checkUniqueHosts(
    workers,
    nodes.filter((n) => !again.has(n.ip)).map((n) => ({ ip: n.ip, nodeName: n.node_name })),
  );
  const placed = workers.map((w) => ({
    ...w,
    position: again.get(w.ip)?.position ?? w.position + offset,
  }));
  return { workers: placed, again };
}

/** The sealed credentials with the new workers' logins added. */
function withWorkers(stored: StoredCredentials, req: Request): StoredCredentials {
  const nodes = { ...stored.nodes };
  for (const entry of req.node_list) {
    const own = req.ssh ? { ...req.ssh, ...entry.ssh } : entry.ssh;
    if (own) nodes[entry.IP] = own;
  }
  return { ...stored, nodes };
}

/** Checks a node create request against the cluster it adds workers to (its nodes, networks and
 * VIP), and plans the work: the new workers are prepared and join with a fresh token from the
 * first master. */
export async function prepareNodeCreate(
  ctx: ServiceContext,
  req: Request,
): Promise<{
  plan: DeployPlan;
  snapshot: DeploySnapshot;
  workers: DeployHost[];
  /** Workers of the cluster set up again: their earlier work is theirs (preflight lets it be). */
  again: Set<string>;
}> {
  const cluster = usableCluster(ctx, req.uuid);
  const settings = JSON.parse(cluster.settings) as ClusterSettings;
  const stored = JSON.parse(ctx.secrets.open(cluster.ssh_enc!)) as StoredCredentials;
  const nodes = clusterNodes(ctx.db, req.uuid);
  const masters = mastersOf(nodes, stored);
  if (masters.length === 0)
    throw invalidField('uuid', 'the cluster has no master on record', '该集群没有管理节点记录');
  const { workers, again } = newWorkers(req, stored, nodes);
  checkHostsUnowned(ctx.db, req.uuid, [{ list: 'node_list', entries: req.node_list }]);
  checkNewNodeNetworks(settings, req.node_list);
  const registryConfig = settings.RegistryConfig
    ? { ...settings.RegistryConfig, Password: stored.registryPassword ?? '' }
    : null;
  const managed = req.use_managed_registry_project ?? settings.use_managed_registry_project;
  const registry = resolveRegistry(ctx.db, ctx.secrets, registryConfig, managed);
  const bundle = await openBundle(req.bundle_path || settings.bundle.path, ctx.dataDir);
  if (bundle.manifest.kubernetes_version !== settings.KubernetesVersion)
    throw invalidField(
      'bundle_path',
      `holds ${bundle.manifest.kubernetes_version}, the cluster runs ${settings.KubernetesVersion}`,
      `安装包版本为 ${bundle.manifest.kubernetes_version}，集群版本为 ${settings.KubernetesVersion}`,
    );

  const plan: DeployPlan = {
    kind: 'node_create',
    clusterUuid: req.uuid,
    deployId: randomUUID(),
    settings: { ...settings, bundle: { ...settings.bundle, path: bundle.source, id: bundle.id } },
    kubeadm: null,
    masters,
    workers,
    newHosts: workers,
    bundle,
    registry,
    kubeVip: null,
    certificateKey: '',
    maxFailedWorkers: 0,
    credentials: withWorkers(stored, req),
    redact: createRedactor([...targetSecrets([...masters, ...workers]), registry?.password]),
  };
  return {
    plan,
    // This addition's own record: the registry its nodes pull from, as its request chose it.
    snapshot: {
      ...plan.settings,
      use_managed_registry_project: managed,
      registry_used: registryView(registry),
      master_list: nodeList(masters),
      node_list: nodeList(workers),
    },
    workers,
    again: new Set(again.keys()),
  };
}
