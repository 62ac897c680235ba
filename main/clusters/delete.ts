import { notFound, TopkeError } from '../contract/errors.js';
import type { ServiceContext } from '../context.js';
import type { ClusterLocks } from '../deploy/cluster-locks.js';

function busy(field: string, uuid: string, what: string, whatCn: string): TopkeError {
  return new TopkeError({
    code: 'conflict',
    field,
    message: `${field}: cluster ${uuid} ${what}; wait for it to end`,
    messageCn: `${field}：集群 ${uuid} ${whatCn}，请等待其结束`,
  });
}

/** Stops the removal while a deploy or node create of the cluster is under way: held in this
 * process from its request's check (while its bundle is read), or on record in any process. */
function checkIdle(ctx: ServiceContext, locks: ClusterLocks, uuid: string, field: string): void {
  if (locks.has(uuid))
    throw busy(
      field,
      uuid,
      'is being deployed (a deploy or node create of it is under way)',
      '正在部署中（其部署或添加节点正在进行）',
    );
  const running = ctx.db
    .prepare('SELECT id FROM deploys WHERE cluster_uuid = ? AND is_over = 0 LIMIT 1')
    .get(uuid) as { id: string } | undefined;
  if (running)
    throw busy(
      field,
      uuid,
      `has a deploy still running (${running.id})`,
      `仍有部署在运行（${running.id}）`,
    );
}

/** Removes a cluster from management: its row and nodes go, the cluster itself is not touched,
 * and its deploy records stay until purged. A deploy under way keeps it. The check and the
 * removal are one write transaction, so a deploy another process records meanwhile is seen.
 * Errors name the request's `field` (the spec's delete spells it UUID). */
export function deleteCluster(
  ctx: ServiceContext,
  locks: ClusterLocks,
  uuid: string,
  field = 'uuid',
): { uuid: string } {
  ctx.db
    .transaction(() => {
      const exists = ctx.db.prepare('SELECT 1 FROM clusters WHERE uuid = ?').get(uuid);
      if (!exists) throw notFound('cluster', '集群', uuid, field);
      checkIdle(ctx, locks, uuid, field);
      ctx.db.prepare('DELETE FROM clusters WHERE uuid = ?').run(uuid);
    })
    .immediate();
  ctx.log.child({ scope: 'clusters' }).info({ uuid }, 'cluster removed from management');
  return { uuid };
}
