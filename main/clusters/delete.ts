import { notFound, TopkeError } from '../contract/errors.js';
import type { ServiceContext } from '../context.js';

/** Removes a cluster from management: its row and nodes go, the cluster itself is not touched,
 * and its deploy records stay until purged. A deploy still running keeps it. Errors name the
 * request's `field` (the spec's delete spells it UUID). */
export function deleteCluster(ctx: ServiceContext, uuid: string, field = 'uuid'): { uuid: string } {
  const exists = ctx.db.prepare('SELECT 1 FROM clusters WHERE uuid = ?').get(uuid);
  if (!exists) throw notFound('cluster', '集群', uuid, field);
  const running = ctx.db
    .prepare('SELECT id FROM deploys WHERE cluster_uuid = ? AND is_over = 0 LIMIT 1')
    .get(uuid) as { id: string } | undefined;
  if (running)
    throw new TopkeError({
      code: 'conflict',
      field,
      message: `${field}: cluster ${uuid} has a deploy still running (${running.id}); wait for it to end`,
      messageCn: `${field}：集群 ${uuid} 仍有部署在运行（${running.id}），请等待其结束`,
    });
  ctx.db.prepare('DELETE FROM clusters WHERE uuid = ?').run(uuid);
  ctx.log.child({ scope: 'clusters' }).info({ uuid }, 'cluster removed from management');
  return { uuid };
}
