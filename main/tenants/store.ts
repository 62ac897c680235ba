import { notFound } from '../contract/errors.js';
import type { Db } from '../store/db.js';

export interface TenantRow {
  uuid: string;
  name: string;
  created_at: number;
}

export function findTenant(db: Db, uuid: string): TenantRow | undefined {
  return db.prepare('SELECT uuid, name, created_at FROM tenants WHERE uuid = ?').get(uuid) as
    TenantRow | undefined;
}

/** The tenant a request names; an unknown one is an error naming `field`. */
export function requireTenant(db: Db, uuid: string, field = 'tenant_uuid'): TenantRow {
  const tenant = findTenant(db, uuid);
  if (!tenant) throw notFound('tenant', '租户', uuid, field);
  return tenant;
}
