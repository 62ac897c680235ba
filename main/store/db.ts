import Database from 'better-sqlite3';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_TENANT_UUID } from '../contract/schemas.js';
import { MIGRATIONS } from './migrations.js';

export type Db = Database.Database;

/** Opens (and creates or upgrades) the product's database in `dataDir`. `nativeBinding` is the
 * path of a better-sqlite3 addon built for another runtime (Electron's), when not the default. */
export function openDatabase(dataDir: string, nativeBinding?: string): Db {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, 'topke.sqlite');
  const db = new Database(file, nativeBinding ? { nativeBinding } : {});
  ownerOnly(file);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');
  migrate(db);
  return db;
}

/** Cluster names, addresses and sealed secrets are the engineer's alone: SQLite makes its WAL and
 * shared-memory files with the database's own mode, so setting it first covers them. */
function ownerOnly(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
}

function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
  db.prepare('INSERT OR IGNORE INTO tenants (uuid, name, created_at) VALUES (?, ?, ?)').run(
    DEFAULT_TENANT_UUID,
    'default',
    Math.floor(Date.now() / 1000),
  );
}
