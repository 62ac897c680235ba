import { TopkeError } from '../contract/errors.js';
import type { Db } from '../store/db.js';

/** The entries of one request list, by the list's name ("master_list", "node_list"). */
export interface HostList {
  list: string;
  entries: { IP: string }[];
}

interface Owner {
  ip: string;
  uuid: string;
  name: string;
}

function ownersOf(db: Db, ips: string[], ownUuid: string): Map<string, Owner> {
  const rows = db
    .prepare(
      `SELECT n.ip, c.uuid, c.name FROM nodes n JOIN clusters c ON c.uuid = n.cluster_uuid
       WHERE n.cluster_uuid <> ? AND n.ip IN (SELECT value FROM json_each(?))
       ORDER BY c.created_at`,
    )
    .all(ownUuid, JSON.stringify(ips)) as Owner[];
  const owners = new Map<string, Owner>();
  for (const row of rows) if (!owners.has(row.ip)) owners.set(row.ip, row);
  return owners;
}

function takenError(field: string, owner: Owner): TopkeError {
  const { ip, name, uuid } = owner;
  return new TopkeError({
    code: 'conflict',
    field,
    message: `${field}: ${ip} is already a node of another cluster, "${name}" (${uuid}): a host can be a node of one cluster only; if that cluster is gone, remove it from the history first`,
    messageCn: `${field}：${ip} 已是另一个集群 “${name}”（${uuid}）的节点：一台主机只能属于一个集群；若该集群已不存在，请先将其从历史记录中移除`,
  });
}

/** Refuses, naming the first such entry, an address that a cluster of the history other than
 * `ownUuid` has among its nodes (deployed or imported): its preflight would find Kubernetes there
 * and the host would be recorded as this cluster's failed node, or worse, be set up twice. */
export function checkHostsUnowned(db: Db, ownUuid: string, lists: HostList[]): void {
  const ips = lists.flatMap((l) => l.entries.map((e) => e.IP));
  const owners = ownersOf(db, ips, ownUuid);
  if (owners.size === 0) return;
  for (const { list, entries } of lists)
    entries.forEach((entry, i) => {
      const owner = owners.get(entry.IP);
      if (owner) throw takenError(`${list}[${i}].IP`, owner);
    });
}
