import { randomUUID } from 'node:crypto';
import { TopkeError } from '../contract/errors.js';
import type { TenantListResult, TenantView } from '../contract/results.js';
import type { Handlers } from '../api.js';
import type { ServiceContext } from '../context.js';
import type { Db } from '../store/db.js';
import { requireTenant } from './store.js';

const VIEW = `SELECT t.uuid, t.name, t.created_at AS create_time,
  (SELECT count(*) FROM clusters c WHERE c.tenant_uuid = t.uuid) AS cluster_count
  FROM tenants t`;

function tenantView(db: Db, uuid: string): TenantView {
  return db.prepare(`${VIEW} WHERE t.uuid = ?`).get(uuid) as TenantView;
}

/** How two names compare: regardless of case (beyond ASCII, which SQLite's lower() is limited
 * to) and of Unicode compatibility forms (a full-width "Ａ" is an "A"). */
function foldName(name: string): string {
  return name.normalize('NFKC').toLowerCase();
}

/** Tenant names are unique regardless of case, so that the picker never shows two alike. */
function refuseTakenName(db: Db, name: string, except = ''): void {
  const folded = foldName(name);
  const others = db.prepare('SELECT name FROM tenants WHERE uuid <> ?').all(except) as {
    name: string;
  }[];
  const taken = others.find((t) => foldName(t.name) === folded);
  if (taken)
    throw new TopkeError({
      code: 'conflict',
      field: 'name',
      message: `name: a tenant named "${name}" already exists`,
      messageCn: `name：已存在名为 “${name}” 的租户`,
    });
}

/** Tenants group clusters (an engineer's customers or sites): create, rename, list. */
export function createTenantHandlers(
  ctx: ServiceContext,
): Handlers<'tenantCreate' | 'tenantRename' | 'tenantList'> {
  const { db } = ctx;
  return {
    tenantCreate: async ({ name }) => {
      refuseTakenName(db, name);
      const uuid = randomUUID();
      db.prepare('INSERT INTO tenants (uuid, name, created_at) VALUES (?, ?, ?)').run(
        uuid,
        name,
        Math.floor(Date.now() / 1000),
      );
      return tenantView(db, uuid);
    },
    tenantRename: async ({ uuid, name }) => {
      requireTenant(db, uuid, 'uuid');
      refuseTakenName(db, name, uuid);
      db.prepare('UPDATE tenants SET name = ? WHERE uuid = ?').run(name, uuid);
      return tenantView(db, uuid);
    },
    tenantList: async (): Promise<TenantListResult> => {
      const list = db
        .prepare(`${VIEW} ORDER BY t.name COLLATE NOCASE, t.uuid`)
        .all() as TenantView[];
      return { total_count: list.length, list };
    },
  };
}
