import { runMarkers } from '../store/run-markers.js';
import type { ServiceContext } from '../context.js';
import { DeployStore, now } from './store.js';

const INTERRUPTED =
  'the deploy was interrupted: TopKE Installer stopped while it ran (process ended or machine restarted); run the deploy again to resume';
const INTERRUPTED_CN =
  '部署被中断：TopKE Installer 在部署过程中停止了（进程结束或机器重启）；再次运行部署即可从中断处继续';

/** Running deploys are marked per process (see run-markers.ts). */
export function markRunning(dataDir: string, deployId: string): void {
  runMarkers(dataDir, 'deploys').mark(deployId);
}

export function clearRunning(dataDir: string, deployId: string): void {
  runMarkers(dataDir, 'deploys').clear(deployId);
}

function failDeploy(ctx: ServiceContext, id: string, clusterUuid: string, kind: string): void {
  const at = now();
  ctx.db.transaction(() => {
    ctx.db
      .prepare(
        `UPDATE deploys SET state = 'failed', is_over = 1, err_info = ?, err_info_cn = ?,
         finished_at = ? WHERE id = ?`,
      )
      .run(INTERRUPTED, INTERRUPTED_CN, at, id);
    ctx.db
      .prepare(
        `UPDATE deploy_stages SET is_finish = 1, success = 0, error = ?, error_cn = ?, end_time = ?
         WHERE deploy_id = ? AND start_time > 0 AND is_finish = 0`,
      )
      .run(INTERRUPTED, INTERRUPTED_CN, at, id);
    ctx.db
      .prepare(
        `UPDATE deploy_steps SET state = 'failed', end_time = ?, output = output || ?, error = ?,
         error_cn = ? WHERE deploy_id = ? AND state = 'running'`,
      )
      .run(at, '\n[interrupted]', INTERRUPTED, INTERRUPTED_CN, id);
    // Interrupted, not failed: each host worked on is stopped, each other one not reached.
    new DeployStore(ctx.db, id).settleHosts(clusterUuid);
    if (kind === 'deploy')
      ctx.db
        .prepare(
          `UPDATE clusters SET state = 'failed', state_desc = ?, updated_at = ? WHERE uuid = ? AND state = 'deploying'`,
        )
        .run(INTERRUPTED, at, clusterUuid);
  })();
  clearRunning(ctx.dataDir, id);
}

/** Deploys left running by a process that is gone (ended, killed, the machine restarted) are
 * marked failed, with a clear err_info, and their clusters too; their records stay as they were.
 * Run at start-up and again whenever an operation meets an open deploy, since the process that
 * ran one may end while this one is up. `runsHere`: the deploys this process runs. */
export function failInterruptedDeploys(
  ctx: ServiceContext,
  runsHere: (deployId: string) => boolean = () => false,
): number {
  const open = ctx.db
    .prepare('SELECT id, cluster_uuid, kind FROM deploys WHERE is_over = 0')
    .all() as {
    id: string;
    cluster_uuid: string;
    kind: string;
  }[];
  if (open.length === 0) return 0;
  const markers = runMarkers(ctx.dataDir, 'deploys');
  // A deploy this process runs is not abandoned, and needs no look at its marker.
  const abandoned = open.filter((d) => !runsHere(d.id) && markers.holder(d.id) !== 'other');
  for (const d of abandoned) failDeploy(ctx, d.id, d.cluster_uuid, d.kind);
  markers.prune(open.filter((d) => !abandoned.includes(d)).map((d) => d.id));
  if (abandoned.length)
    ctx.log
      .child({ scope: 'deploy' })
      .warn({ deploys: abandoned.map((d) => d.id) }, 'interrupted deploys marked failed');
  return abandoned.length;
}
