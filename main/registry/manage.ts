import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { invalidField, notFound, TopkeError } from '../contract/errors.js';
import { projectProblem } from '../contract/registry-project.js';
import type { RegistryListResult, RegistryView } from '../contract/results.js';
import type {
  RegistryCreateRequest,
  RegistryDeleteRequest,
  RegistryUpdateRequest,
} from '../contract/schemas.js';
import type { ServiceContext } from '../context.js';
import { normalAddress, splitAddress } from '../deploy/registry-address.js';
import { parseCaBundle } from './ca-cert.js';
import {
  allRegistries,
  clusterCounts,
  clustersNaming,
  deleteRegistry,
  findRegistry,
  insertRegistry,
  saveRegistry,
  type RegistryRow,
} from './store.js';
import { registryView } from './view.js';

type CreateRequest = z.output<typeof RegistryCreateRequest>;
type UpdateRequest = z.output<typeof RegistryUpdateRequest>;
type DeleteRequest = z.output<typeof RegistryDeleteRequest>;

/** A registry named by uuid, or an error naming the field that held the uuid. */
export function requireRegistry(ctx: ServiceContext, uuid: string, field: string): RegistryRow {
  const row = findRegistry(ctx.db, uuid);
  if (!row) throw notFound('managed registry', '纳管镜像仓库', uuid, field);
  return row;
}

/** A stored row's host, or null for one an older version let in that no longer parses. */
function hostOf(address: string): string | null {
  try {
    return splitAddress(address, 'address').host;
  } catch {
    return null;
  }
}

/** The same host and project twice would make "which one?" unanswerable in every list. Hosts are
 * compared as splitAddress normalises them (case, default port), older rows included. */
function refuseDuplicate(ctx: ServiceContext, row: RegistryRow): void {
  const { host } = splitAddress(row.address, 'address');
  const twin = allRegistries(ctx.db).find(
    (r) => r.uuid !== row.uuid && r.project === row.project && hostOf(r.address) === host,
  );
  if (twin)
    throw new TopkeError({
      code: 'conflict',
      field: 'address',
      message: `address: ${host} with project "${row.project}" is already managed as ${twin.uuid}`,
      messageCn: `address：${host}（项目 “${row.project}”）已作为 ${twin.uuid} 纳管`,
    });
}

/** Checks the address, the project and the CA, seals the password; the row is ready to store,
 * its address in the normal form (scheme://host[:port], lower case, no default port). An update
 * that leaves the project alone does not check it: an older version let in any. */
function checked(
  ctx: ServiceContext,
  row: RegistryRow,
  password: string | null,
  checkProject = true,
): RegistryRow {
  const address = normalAddress(row.address, 'address');
  const problem = checkProject ? projectProblem(row.project) : null;
  if (problem) throw invalidField('project', ...problem);
  const ca_cert = row.ca_cert ? parseCaBundle(row.ca_cert, 'ca_cert').pem : '';
  const password_enc =
    password === null ? row.password_enc : password ? ctx.secrets.seal(password) : null;
  return { ...row, address, ca_cert, password_enc };
}

function viewOf(ctx: ServiceContext, row: RegistryRow): RegistryView {
  return registryView(row, clusterCounts(ctx.db).get(row.uuid) ?? 0);
}

export function createRegistry(ctx: ServiceContext, req: CreateRequest): RegistryView {
  const draft: RegistryRow = {
    uuid: randomUUID(),
    address: req.address,
    project: req.project,
    user: req.user,
    password_enc: null,
    ca_cert: req.ca_cert.trim(),
    created_at: Math.floor(Date.now() / 1000),
  };
  const row = checked(ctx, draft, req.password);
  refuseDuplicate(ctx, row);
  insertRegistry(ctx.db, row);
  return viewOf(ctx, row);
}

export function updateRegistry(ctx: ServiceContext, req: UpdateRequest): RegistryView {
  const current = requireRegistry(ctx, req.registry_uuid, 'registry_uuid');
  const draft: RegistryRow = {
    ...current,
    address: req.address ?? current.address,
    project: req.project ?? current.project,
    user: req.user ?? current.user,
    ca_cert: req.ca_cert === undefined ? current.ca_cert : req.ca_cert.trim(),
  };
  const row = checked(ctx, draft, req.password ?? null, req.project !== undefined);
  refuseDuplicate(ctx, row);
  saveRegistry(ctx.db, row);
  return viewOf(ctx, row);
}

export function listRegistries(ctx: ServiceContext): RegistryListResult {
  const counts = clusterCounts(ctx.db);
  const list = allRegistries(ctx.db).map((r) => registryView(r, counts.get(r.uuid) ?? 0));
  return { total_count: list.length, list };
}

/** Removes a registry; one that clusters still name needs `force`, since their later node
 * additions would no longer find it. */
export function removeRegistry(ctx: ServiceContext, req: DeleteRequest): { registry_uuid: string } {
  requireRegistry(ctx, req.registry_uuid, 'registry_uuid');
  const users = clustersNaming(ctx.db, req.registry_uuid);
  if (users.length > 0 && !req.force) {
    const names = users.map((c) => c.name).join(', ');
    throw new TopkeError({
      code: 'conflict',
      field: 'registry_uuid',
      message: `registry_uuid: clusters ${names} were deployed with this registry; give "force": true to delete it anyway`,
      messageCn: `registry_uuid：集群 ${names} 部署时使用了该镜像仓库；如仍要删除，请指定 "force": true`,
    });
  }
  deleteRegistry(ctx.db, req.registry_uuid);
  return { registry_uuid: req.registry_uuid };
}
