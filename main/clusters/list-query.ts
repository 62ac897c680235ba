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

/** The text filter matches name, description, address, state, source, version, node IP or name,
 * regardless of case. Only a description may hold letters beyond ASCII, whose case SQLite's
 * lower() leaves alone: for a filter with such letters (@wide) it is folded as the filter is, in
 * JS; an ASCII filter keeps to lower(), which costs no call out of SQLite per row. */
const WHERE = `c.tenant_uuid = @tenant AND (@filter = ''
  OR instr(lower(c.name), @filter)
  OR instr(CASE WHEN @wide THEN topke_fold(c.desc) ELSE lower(c.desc) END, @filter)
  OR instr(lower(c.api_server), @filter) OR instr(lower(c.state), @filter)
  OR instr(c.source, @filter) OR instr(lower(coalesce(c.kube_version, '')), @filter)
  OR EXISTS (SELECT 1 FROM nodes f WHERE f.cluster_uuid = c.uuid
             AND (instr(f.ip, @filter) OR instr(lower(f.node_name), @filter))))`;

const FROM = 'FROM clusters c JOIN tenants t ON t.uuid = c.tenant_uuid';

/** Prepared list statements of one database, made once per sort key and direction. The page is
 * chosen on narrow rows (uuid and sort key) first: sorting 10,000 full rows, each with its
 * connection settings, costs ten times more. */
export class ClusterListQueries {
  private readonly pages = new Map<string, Statement>();
  private readonly count: Statement;
  private readonly rows: Statement;

  constructor(private readonly db: Db) {
    // Few distinct versions appear among many clusters: each key is computed once.
    const keys = new Map<string, string>();
    db.function('topke_version_key', { deterministic: true }, (v: unknown) => {
      if (typeof v !== 'string') return '';
      let key = keys.get(v);
      if (key === undefined) keys.set(v, (key = versionSortKey(v)));
      return key;
    });
    db.function('topke_fold', { deterministic: true }, (v: unknown) =>
      typeof v === 'string' ? v.toLowerCase() : '',
    );
    this.count = db.prepare(`SELECT count(*) AS n FROM clusters c WHERE ${WHERE}`);
    this.rows = db.prepare(
      `SELECT ${CLUSTER_COLUMNS} ${FROM} WHERE c.uuid IN (SELECT value FROM json_each(?))`,
    );
  }

  private page(sortBy: SortKey, desc: boolean): Statement {
    const key = `${sortBy}:${desc}`;
    let stmt = this.pages.get(key);
    if (!stmt) {
      const dir = desc ? 'DESC' : 'ASC';
      stmt = this.db.prepare(
        `SELECT c.uuid FROM clusters c WHERE ${WHERE}
         ORDER BY ${ORDER[sortBy]} ${dir}, c.name COLLATE NOCASE ${dir}, c.uuid ${dir}
         LIMIT @limit OFFSET @offset`,
      );
      this.pages.set(key, stmt);
    }
    return stmt;
  }

  /** One page of a tenant's clusters, and how many match in all. */
  run(q: ListQuery): { total: number; rows: ClusterRow[] } {
    const filter = q.filter.trim().toLowerCase();
    const params = { tenant: q.tenant, filter, wide: /\P{ASCII}/u.test(filter) ? 1 : 0 };
    const total = (this.count.get(params) as { n: number }).n;
    const uuids = (
      this.page(q.sortBy, q.desc).all({ ...params, limit: q.limit, offset: q.offset }) as {
        uuid: string;
      }[]
    ).map((r) => r.uuid);
    const byUuid = new Map(
      (this.rows.all(JSON.stringify(uuids)) as ClusterRow[]).map((r) => [r.uuid, r]),
    );
    return { total, rows: uuids.map((u) => byUuid.get(u)!).filter(Boolean) };
  }
}
