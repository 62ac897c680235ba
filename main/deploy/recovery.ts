import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceContext } from '../context.js';
import { now } from './store.js';

const INTERRUPTED =
  'the deploy was interrupted: TopKE Installer stopped while it ran (process ended or machine restarted); run the deploy again to resume';

/** Each running deploy leaves a file naming the process that runs it, so that a second process
 * on the same data folder (the CLI beside the server) does not take it for abandoned. */
function markerDir(dataDir: string): string {
  return join(dataDir, 'run', 'deploys');
}

export function markRunning(dataDir: string, deployId: string): void {
  mkdirSync(markerDir(dataDir), { recursive: true });
  writeFileSync(join(markerDir(dataDir), deployId), String(process.pid));
}

export function clearRunning(dataDir: string, deployId: string): void {
  rmSync(join(markerDir(dataDir), deployId), { force: true });
}

function runningElsewhere(dataDir: string, deployId: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(markerDir(dataDir), deployId), 'utf8'));
  } catch {
    return false;
  }
  if (!pid || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function failDeploy(ctx: ServiceContext, id: string, clusterUuid: string, kind: string): void {
  const at = now();
  ctx.db.transaction(() => {
    ctx.db
      .prepare(
        `UPDATE deploys SET state = 'failed', is_over = 1, err_info = ?, finished_at = ? WHERE id = ?`,
      )
      .run(INTERRUPTED, at, id);
    ctx.db
      .prepare(
        `UPDATE deploy_stages SET is_finish = 1, success = 0, error = ?, end_time = ? WHERE deploy_id = ? AND start_time > 0 AND is_finish = 0`,
      )
      .run(INTERRUPTED, at, id);
    ctx.db
      .prepare(
        `UPDATE deploy_steps SET state = 'failed', end_time = ?, output = output || ? WHERE deploy_id = ? AND state = 'running'`,
      )
      .run(at, '\n[interrupted]', id);
    ctx.db
      .prepare(
        `UPDATE deploy_hosts SET message = 'failed', time = ? WHERE deploy_id = ? AND message = 'deploying'`,
      )
      .run(at, id);
    ctx.db
      .prepare(`UPDATE nodes SET state = 'stopped' WHERE cluster_uuid = ? AND state = 'deploying'`)
      .run(clusterUuid);
    if (kind === 'deploy')
      ctx.db
        .prepare(
          `UPDATE clusters SET state = 'failed', state_desc = ?, updated_at = ? WHERE uuid = ? AND state = 'deploying'`,
        )
        .run(INTERRUPTED, at, clusterUuid);
  })();
  clearRunning(ctx.dataDir, id);
}

/** At start-up: deploys left running by a process that is gone are marked failed, with a clear
 * err_info, and their clusters too. Their records stay as they were. */
export function failInterruptedDeploys(ctx: ServiceContext): number {
  const open = ctx.db
    .prepare('SELECT id, cluster_uuid, kind FROM deploys WHERE is_over = 0')
    .all() as {
    id: string;
    cluster_uuid: string;
    kind: string;
  }[];
  const abandoned = open.filter((d) => !runningElsewhere(ctx.dataDir, d.id));
  for (const d of abandoned) failDeploy(ctx, d.id, d.cluster_uuid, d.kind);
  for (const name of safeList(markerDir(ctx.dataDir)))
    if (!open.some((d) => d.id === name)) clearRunning(ctx.dataDir, name);
  if (abandoned.length)
    ctx.log
      .child({ scope: 'deploy' })
      .warn({ deploys: abandoned.map((d) => d.id) }, 'interrupted deploys marked failed');
  return abandoned.length;
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
