import { notFound, TopkeError } from '../contract/errors.js';
import type { DeployPurgeResult } from '../contract/results.js';
import type { ServiceContext } from '../context.js';

/** Deletes the finished deploy records (stages, steps, logs with them) of clusters no longer
 * managed: one cluster's, or every removed cluster's. A managed cluster keeps its records. */
export function purgeDeploys(ctx: ServiceContext, uuid: string | undefined): DeployPurgeResult {
  if (uuid && ctx.db.prepare('SELECT 1 FROM clusters WHERE uuid = ?').get(uuid))
    throw new TopkeError({
      code: 'conflict',
      field: 'uuid',
      message: `uuid: cluster ${uuid} is still managed; remove it from management first`,
      messageCn: `uuid：集群 ${uuid} 仍在纳管中，请先移除纳管`,
    });
  const ids = (
    ctx.db
      .prepare(
        `SELECT id FROM deploys d WHERE is_over = 1 AND (@uuid IS NULL OR cluster_uuid = @uuid)
         AND NOT EXISTS (SELECT 1 FROM clusters c WHERE c.uuid = d.cluster_uuid)`,
      )
      .all({ uuid: uuid ?? null }) as { id: string }[]
  ).map((r) => r.id);
  if (uuid && ids.length === 0) throw notFound('deploy record of cluster', '集群的部署记录', uuid);
  const remove = ctx.db.prepare('DELETE FROM deploys WHERE id = ?');
  ctx.db.transaction(() => ids.forEach((id) => remove.run(id)))();
  ctx.log.child({ scope: 'clusters' }).info({ uuid, purged: ids.length }, 'deploy records purged');
  return { purged: ids.length, deploy_ids: ids };
}
