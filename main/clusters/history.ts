import { notFound, TopkeError } from '../contract/errors.js';
import type { OperationRequest } from '../contract/operations.js';
import type { ClusterGetResult, ClusterListResult } from '../contract/results.js';
import type { ServiceContext } from '../context.js';
import { requireTenant } from '../tenants/store.js';
import type { ClusterListQueries } from './list-query.js';
import { refreshPublicConfigs } from './public-config.js';
import { getClusterRow, nodesOf } from './rows.js';
import { clusterView } from './view.js';

/** One page of a tenant's clusters, sorted, filtered, with their nodes. */
export function listClusters(
  ctx: ServiceContext,
  queries: ClusterListQueries,
  req: OperationRequest<'clusterList'>,
): ClusterListResult {
  requireTenant(ctx.db, req.tenant_uuid);
  refreshPublicConfigs(ctx);
  const { total, rows } = queries.run({
    tenant: req.tenant_uuid,
    sortBy: req.sort_by || 'TopKESortByName',
    desc: req.sort_desc,
    filter: req.filter,
    offset: req.offset,
    limit: req.limit,
  });
  const nodes = nodesOf(
    ctx.db,
    rows.map((r) => r.uuid),
  );
  return { total_count: total, list: rows.map((r) => clusterView(r, nodes.get(r.uuid) ?? [])) };
}

export interface GetOptions {
  /** The request's key for the cluster, named by errors. */
  field?: string;
  /** Only a cluster of this tenant is found; unknown tenants are refused as list refuses them. */
  tenant?: string | undefined;
}

/** Another tenant's cluster is "not found" as an unknown one is: get never tells across tenants. */
function notInTenant(uuid: string, tenant: string, field: string): TopkeError {
  return new TopkeError({
    code: 'not_found',
    field,
    message: `cluster ${uuid} was not found in tenant ${tenant}`,
    messageCn: `租户 ${tenant} 中未找到集群 ${uuid}`,
  });
}

/** One cluster, in the list's shape (the spec answers get with a one-entry list). */
export function getCluster(
  ctx: ServiceContext,
  uuid: string,
  { field = 'uuid', tenant }: GetOptions = {},
): ClusterGetResult {
  if (tenant) requireTenant(ctx.db, tenant);
  refreshPublicConfigs(ctx);
  const row = getClusterRow(ctx.db, uuid);
  if (tenant && row?.tenant_uuid !== tenant) throw notInTenant(uuid, tenant, field);
  if (!row) throw notFound('cluster', '集群', uuid, field);
  const nodes = nodesOf(ctx.db, [uuid]).get(uuid) ?? [];
  return { total_count: 1, list: [clusterView(row, nodes)] };
}
