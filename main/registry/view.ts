import type { RegistryView } from '../contract/results.js';
import { describeCa } from './ca-cert.js';
import type { RegistryRow } from './store.js';

/** A registry as the engineer sees it: never its password, only whether it has one. */
export function registryView(row: RegistryRow, clusterCount: number): RegistryView {
  return {
    registry_uuid: row.uuid,
    address: row.address,
    project: row.project,
    user: row.user,
    has_password: row.password_enc !== null,
    ca_cert: row.ca_cert,
    ca: row.ca_cert ? describeCa(row.ca_cert) : null,
    create_time: row.created_at,
    cluster_count: clusterCount,
  };
}
