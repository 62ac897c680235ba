import type { Statement } from 'better-sqlite3';
import type { CLUSTER_SORT_KEYS } from '../contract/defaults.js';
import type { Db } from '../store/db.js';
import { CLUSTER_COLUMNS, type ClusterRow } from './rows.js';
import { versionSortKey } from './kube-version.js';

export type SortKey = (typeof CLUSTER_SORT_KEYS)[number];

export interface ListQuery {
  tenant: string;
  sortBy: SortKey;
  desc: boolean;
  filter: string;
  offset: number;
  limit: number;
}

/** What each sort_by orders by; ties go by name then uuid so that pages never overlap. */
const ORDER: Record<SortKey, string> = {
  TopKESortByName: 'c.name COLLATE NOCASE',
  TopKESortByCreateTime: 'c.created_at',
  TopKESortByState: 'c.state',
  TopKESortByVersion: 'topke_version_key(c.kube_version)',
};

/** The text filter matches name, description, address, state, source, version, node IP or name
 * (case-insensitive for ASCII). */
const WHERE = `c.tenant_uuid = @tenant AND (@filter = ''
  OR instr(lower(c.name), @filter) OR instr(lower(c.desc), @filter)
  OR instr(lower(c.api_server), @filter) OR instr(lower(c.state), @filter)
  OR instr(c.source, @filter) OR instr(lower(coalesce(c.kube_version, '')), @filter)
  OR EXISTS (SELECT 1 FROM nodes f WHERE f.cluster_uuid = c.uuid
             AND (instr(f.ip, @filter) OR instr(lower(f.node_name), @filter))))`;

const FROM = 'FROM clusters c JOIN tenants t ON t.uuid = c.tenant_uuid';

/** Prepared list statements of one database, made once per sort key and direction. */
export class ClusterListQueries {
  private readonly pages = new Map<string, Statement>();
  private readonly count: Statement;

  constructor(private readonly db: Db) {
    db.function('topke_version_key', { deterministic: true }, (v: unknown) =>
      versionSortKey(typeof v === 'string' ? v : null),
    );
    this.count = db.prepare(`SELECT count(*) AS n ${FROM} WHERE ${WHERE}`);
  }

  private page(sortBy: SortKey, desc: boolean): Statement {
    const key = `${sortBy}:${desc}`;
    let stmt = this.pages.get(key);
    if (!stmt) {
      const dir = desc ? 'DESC' : 'ASC';
      stmt = this.db.prepare(
        `SELECT ${CLUSTER_COLUMNS} ${FROM} WHERE ${WHERE}
         ORDER BY ${ORDER[sortBy]} ${dir}, c.name COLLATE NOCASE ${dir}, c.uuid ${dir}
         LIMIT @limit OFFSET @offset`,
      );
      this.pages.set(key, stmt);
    }
    return stmt;
  }

  /** One page of a tenant's clusters, and how many match in all. */
  run(q: ListQuery): { total: number; rows: ClusterRow[] } {
    const params = { tenant: q.tenant, filter: q.filter.trim().toLowerCase() };
    const total = (this.count.get(params) as { n: number }).n;
    const rows = this.page(q.sortBy, q.desc).all({
      ...params,
      limit: q.limit,
      offset: q.offset,
    }) as ClusterRow[];
    return { total, rows };
  }
}
