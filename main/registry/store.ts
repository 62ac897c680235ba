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

/** Clusters keep the managed registry they were deployed with in their settings (JSON; a row
 * whose settings do not parse names none). */
const NAMED_REGISTRY = `CASE WHEN json_valid(settings)
  THEN json_extract(settings, '$.use_managed_registry_project.registry_uuid') END`;

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

/** The clusters whose settings name the registry. */
export function clustersNaming(db: Db, uuid: string): { uuid: string; name: string }[] {
  return db
    .prepare(`SELECT uuid, name FROM clusters WHERE ${NAMED_REGISTRY} = ? ORDER BY name`)
    .all(uuid) as { uuid: string; name: string }[];
}

/** How many clusters name each registry. */
export function clusterCounts(db: Db): Map<string, number> {
  const rows = db
    .prepare(
      `SELECT ${NAMED_REGISTRY} AS registry, count(*) AS n FROM clusters
       WHERE registry IS NOT NULL GROUP BY registry`,
    )
    .all() as { registry: string; n: number }[];
  return new Map(rows.map((r) => [r.registry, r.n]));
}
