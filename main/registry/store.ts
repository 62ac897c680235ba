import type { Db } from '../store/db.js';

/** A row of the registries table; the password stays sealed. */
export interface RegistryRow {
  uuid: string;
  address: string;
  project: string;
  user: string;
  password_enc: Buffer | null;
  ca_cert: string;
  created_at: number;
}

const COLUMNS = 'uuid, address, project, user, password_enc, ca_cert, created_at';

/** The managed registry a deploy record (deploys.request) or a cluster's stored settings pulled
 * from: use_managed_registry_project's, unless RegistryConfig named an address, which wins (as in
 * resolveRegistry). NULL when none, or when the JSON does not parse. Matches the expression of the
 * indexes deploys_by_registry and clusters_by_registry (migrations), which makes it fast. */
function usedBy(column: 'request' | 'settings'): string {
  return `(CASE WHEN json_valid(${column})
    AND ifnull(json_extract(${column}, '$.RegistryConfig.RegistryAddress'), '') = ''
    THEN nullif(json_extract(${column}, '$.use_managed_registry_project.registry_uuid'), '') END)`;
}

/** Each managed cluster paired with each registry any of its deploys or node creates used, once.
 * Materialized: read from the indexes first, rather than record by record of every cluster. */
const USES = `WITH used AS MATERIALIZED (
    SELECT ${usedBy('request')} AS registry, cluster_uuid AS cluster FROM deploys
      WHERE ${usedBy('request')} IS NOT NULL
    UNION
    SELECT ${usedBy('settings')}, uuid FROM clusters WHERE ${usedBy('settings')} IS NOT NULL
  ), uses AS (SELECT registry, cluster FROM used WHERE cluster IN (SELECT uuid FROM clusters))`;

export function findRegistry(db: Db, uuid: string): RegistryRow | undefined {
  return db.prepare(`SELECT ${COLUMNS} FROM registries WHERE uuid = ?`).get(uuid) as
    RegistryRow | undefined;
}

export function allRegistries(db: Db): RegistryRow[] {
  return db
    .prepare(`SELECT ${COLUMNS} FROM registries ORDER BY created_at, address`)
    .all() as RegistryRow[];
}

export function insertRegistry(db: Db, row: RegistryRow): void {
  db.prepare(
    `INSERT INTO registries (${COLUMNS}) VALUES (@uuid, @address, @project, @user, @password_enc, @ca_cert, @created_at)`,
  ).run(row);
}

export function saveRegistry(db: Db, row: RegistryRow): void {
  db.prepare(
    `UPDATE registries SET address = @address, project = @project, user = @user,
       password_enc = @password_enc, ca_cert = @ca_cert WHERE uuid = @uuid`,
  ).run(row);
}

export function deleteRegistry(db: Db, uuid: string): void {
  db.prepare('DELETE FROM registries WHERE uuid = ?').run(uuid);
}

/** The clusters that pull, or pulled, from the registry: a deploy or node create of theirs used
 * it (a node create may name a registry its cluster was not deployed with). */
export function clustersNaming(db: Db, uuid: string): { uuid: string; name: string }[] {
  return db
    .prepare(
      `${USES} SELECT uuid, name FROM clusters
         WHERE uuid IN (SELECT cluster FROM uses WHERE registry = ?) ORDER BY name`,
    )
    .all(uuid) as { uuid: string; name: string }[];
}

const COUNTS = `${USES} SELECT registry, count(*) AS n FROM uses GROUP BY registry`;

/** How many clusters pull, or pulled, from each registry. */
export function clusterCounts(db: Db): Map<string, number> {
  const rows = db.prepare(COUNTS).all() as { registry: string; n: number }[];
  return new Map(rows.map((r) => [r.registry, r.n]));
}

/** How SQLite runs the count (a test checks that it reads the indexes, not every record). */
export function clusterCountsPlan(db: Db): string[] {
  const rows = db.prepare(`EXPLAIN QUERY PLAN ${COUNTS}`).all() as { detail: string }[];
  return rows.map((r) => r.detail);
}
