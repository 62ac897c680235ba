import type { Db } from '../store/db.js';
import type { SecretBox } from '../store/secrets.js';
import type { DeployHost, StoredCredentials } from './hosts.js';
import type { ClusterSettings } from './plan.js';
import { now } from './store.js';

export interface ClusterRecord {
  uuid: string;
  tenant_uuid: string;
  name: string;
  source: 'deployed' | 'imported';
  state: string;
  settings: string;
  ssh_enc: Buffer | null;
}

export interface NodeRecord {
  ip: string;
  node_name: string;
  role: 'master' | 'worker';
  state: string;
  position: number;
}

export function findCluster(db: Db, uuid: string): ClusterRecord | undefined {
  return db
    .prepare(
      'SELECT uuid, tenant_uuid, name, source, state, settings, ssh_enc FROM clusters WHERE uuid = ?',
    )
    .get(uuid) as ClusterRecord | undefined;
}

export function findClusterByName(db: Db, tenant: string, name: string): ClusterRecord | undefined {
  return db
    .prepare(
      `SELECT uuid, tenant_uuid, name, source, state, settings, ssh_enc FROM clusters
       WHERE tenant_uuid = ? AND name = ? ORDER BY created_at DESC LIMIT 1`,
    )
    .get(tenant, name) as ClusterRecord | undefined;
}

export function clusterNodes(db: Db, uuid: string): NodeRecord[] {
  return db
    .prepare(
      'SELECT ip, node_name, role, state, position FROM nodes WHERE cluster_uuid = ? ORDER BY role, position',
    )
    .all(uuid) as NodeRecord[];
}

/** The cluster row of a deploy that starts (or starts again): state "deploying", its settings
 * without secrets, its SSH credentials sealed, and its nodes in list order. */
export function saveDeployingCluster(
  db: Db,
  secrets: SecretBox,
  uuid: string,
  s: ClusterSettings,
  credentials: StoredCredentials,
  hosts: DeployHost[],
): void {
  const at = now();
  db.transaction(() => {
    db.prepare(
      `INSERT INTO clusters (uuid, tenant_uuid, name, desc, source, state, state_desc, api_server, kube_version,
         settings, ssh_enc, is_high_available, cluster_node_scale, pod_cidr, service_cidr, created_at, updated_at)
       VALUES (?, ?, ?, ?, 'deployed', 'deploying', '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (uuid) DO UPDATE SET desc = excluded.desc, state = 'deploying', state_desc = '',
         api_server = excluded.api_server, kube_version = excluded.kube_version, settings = excluded.settings,
         ssh_enc = excluded.ssh_enc, is_high_available = excluded.is_high_available,
         cluster_node_scale = excluded.cluster_node_scale, pod_cidr = excluded.pod_cidr,
         service_cidr = excluded.service_cidr, updated_at = excluded.updated_at`,
    ).run(
      uuid,
      s.tenant_uuid,
      s.name,
      s.desc,
      `https://${s.control_plane_endpoint}`,
      s.KubernetesVersion,
      JSON.stringify(s),
      secrets.seal(JSON.stringify(credentials)),
      s.ControlPlaneConfig.HAConfig ? 1 : 0,
      s.cluster_node_scale,
      s.PodCidr,
      s.ServicePodCidr,
      at,
      at,
    );
    db.prepare('DELETE FROM nodes WHERE cluster_uuid = ?').run(uuid);
    insertNodes(db, uuid, hosts);
  })();
}

/** Records the hosts as the cluster's nodes, being deployed. `again`: nodes already on record
 * that are set up again (a worker a node create did not finish), replaced by their new record. */
export function insertNodes(
  db: Db,
  uuid: string,
  hosts: DeployHost[],
  again: ReadonlySet<string> = new Set(),
): void {
  const remove = db.prepare(
    `DELETE FROM nodes WHERE cluster_uuid = ? AND ip = ? AND role = 'worker' AND state <> 'running'`,
  );
  const insert = db.prepare(
    `INSERT INTO nodes (cluster_uuid, ip, node_name, role, state, position) VALUES (?, ?, ?, ?, 'deploying', ?)`,
  );
  for (const h of hosts) {
    if (again.has(h.ip)) remove.run(uuid, h.ip);
    insert.run(uuid, h.ip, h.nodeName, h.role, h.position);
  }
}

export function setClusterState(db: Db, uuid: string, state: string, desc: string): void {
  db.prepare('UPDATE clusters SET state = ?, state_desc = ?, updated_at = ? WHERE uuid = ?').run(
    state,
    desc,
    now(),
    uuid,
  );
}

/** Replaces the stored settings and sealed credentials (node create adds workers to both). */
export function updateClusterSettings(
  db: Db,
  secrets: SecretBox,
  uuid: string,
  s: ClusterSettings,
  credentials: StoredCredentials,
): void {
  db.prepare('UPDATE clusters SET settings = ?, ssh_enc = ?, updated_at = ? WHERE uuid = ?').run(
    JSON.stringify(s),
    secrets.seal(JSON.stringify(credentials)),
    now(),
    uuid,
  );
}

/** The admin kubeconfig, sealed, with the earliest certificate expiry (seconds). */
export function saveKubeconfig(
  db: Db,
  secrets: SecretBox,
  uuid: string,
  kubeconfig: string,
  certExpiry: number | null,
): void {
  db.prepare(
    'UPDATE clusters SET kubeconfig_enc = ?, cert_expiry = ?, updated_at = ? WHERE uuid = ?',
  ).run(secrets.seal(kubeconfig), certExpiry, now(), uuid);
}
