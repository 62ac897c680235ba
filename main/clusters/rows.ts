import type { Db } from '../store/db.js';

/** One cluster as the history stores it, with its tenant's name and its node count. */
export interface ClusterRow {
  uuid: string;
  tenant_uuid: string;
  tenant_name: string;
  name: string;
  desc: string;
  source: 'deployed' | 'imported';
  state: string;
  state_desc: string;
  api_server: string;
  kube_version: string | null;
  config_public: string | null;
  is_high_available: number;
  cluster_node_scale: string;
  pod_cidr: string;
  service_cidr: string;
  cert_expiry: number | null;
  created_at: number;
  updated_at: number;
  node_count: number;
}

export interface NodeRow {
  cluster_uuid: string;
  ip: string;
  node_name: string;
  role: 'master' | 'worker';
  state: string;
}

/** The columns every read of the history selects (the clusters table is `c`, tenants `t`). */
export const CLUSTER_COLUMNS = `c.uuid, c.tenant_uuid, t.name AS tenant_name, c.name, c.desc,
  c.source, c.state, c.state_desc, c.api_server, c.kube_version, c.config_public,
  c.is_high_available, c.cluster_node_scale, c.pod_cidr, c.service_cidr, c.cert_expiry,
  c.created_at, c.updated_at,
  (SELECT count(*) FROM nodes n WHERE n.cluster_uuid = c.uuid) AS node_count`;

export function getClusterRow(db: Db, uuid: string): ClusterRow | undefined {
  return db
    .prepare(
      `SELECT ${CLUSTER_COLUMNS} FROM clusters c JOIN tenants t ON t.uuid = c.tenant_uuid
       WHERE c.uuid = ?`,
    )
    .get(uuid) as ClusterRow | undefined;
}

/** The nodes of some clusters, in their deploy order, grouped by cluster. */
export function nodesOf(db: Db, uuids: string[]): Map<string, NodeRow[]> {
  const rows = db
    .prepare(
      `SELECT cluster_uuid, ip, node_name, role, state FROM nodes
       WHERE cluster_uuid IN (SELECT value FROM json_each(?))
       ORDER BY cluster_uuid, position, ip`,
    )
    .all(JSON.stringify(uuids)) as NodeRow[];
  const grouped = new Map<string, NodeRow[]>();
  for (const row of rows) {
    const list = grouped.get(row.cluster_uuid) ?? [];
    list.push(row);
    grouped.set(row.cluster_uuid, list);
  }
  return grouped;
}
