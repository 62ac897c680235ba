import { notFound } from '../contract/errors.js';
import type { DeployListResult, DeploySummary } from '../contract/results.js';
import type { Db } from '../store/db.js';
import { hostsOf, stagesOf } from './status.js';
import type { DeployKind } from './store.js';

interface SummaryRow {
  id: string;
  cluster_uuid: string;
  kind: DeployKind;
  state: DeploySummary['state'];
  current_stage: number;
  is_over: number;
  err_info: string;
  err_info_cn: string | null;
  created_at: number;
  finished_at: number | null;
}

function summaryOf(db: Db, row: SummaryRow): DeploySummary {
  return {
    deploy_id: row.id,
    uuid: row.cluster_uuid,
    kind: row.kind,
    state: row.state,
    is_over: row.is_over === 1,
    start_time: row.created_at,
    end_time: row.finished_at ?? 0,
    current_stage: row.current_stage,
    err_info: row.err_info,
    err_info_cn: row.err_info_cn ?? row.err_info,
    stages: stagesOf(db, row.id),
    hosts: hostsOf(db, row.id).map(({ addr, role, message, step, step_cn }) => ({
      addr,
      role,
      message,
      step,
      step_cn,
    })),
  };
}

/** Every deploy of a cluster (its first deploy, deploys run again, node creates), newest first,
 * read from SQLite only. A cluster removed from management keeps its records until purged, so
 * they are listed too; an imported cluster has none. */
export function listDeploys(db: Db, uuid: string): DeployListResult {
  const rows = db
    .prepare(
      `SELECT id, cluster_uuid, kind, state, current_stage, is_over, err_info, err_info_cn,
        created_at, finished_at FROM deploys WHERE cluster_uuid = ? ORDER BY created_at DESC, rowid DESC`,
    )
    .all(uuid) as SummaryRow[];
  if (rows.length === 0 && !db.prepare('SELECT 1 FROM clusters WHERE uuid = ?').get(uuid))
    throw notFound('cluster', '集群', uuid);
  return { total_count: rows.length, list: rows.map((r) => summaryOf(db, r)) };
}
