import { randomUUID } from 'node:crypto';
import { TopkeError } from '../contract/errors.js';
import type { Db } from '../store/db.js';
import { clusterNodes, findClusterByName, type ClusterRecord } from './cluster-store.js';

/** The cluster a deploy makes: a new one, or the failed one of that name, which it resumes. */
export interface ClusterChoice {
  uuid: string;
  resumed: boolean;
  /** The nodes of the resumed cluster: preflight lets them carry the earlier deploy's work. */
  ownNodes: Set<string>;
}

function nameTaken(name: string, existing: ClusterRecord): TopkeError {
  return new TopkeError({
    code: 'conflict',
    field: 'name',
    message: `name: a cluster named "${name}" already exists in this tenant (${existing.state})`,
    messageCn: `name：该租户中已存在名为 “${name}” 的集群（${existing.state}）`,
  });
}

function removedMeanwhile(name: string, uuid: string): TopkeError {
  return new TopkeError({
    code: 'conflict',
    field: 'name',
    message: `name: cluster "${name}" (${uuid}) was removed from management while this deploy was being prepared; nothing was deployed or recorded. Deploy again to make it a new cluster`,
    messageCn: `name：集群 “${name}”（${uuid}）在本次部署准备期间已被移除纳管；未部署也未记录任何内容。如需新建该集群，请重新部署`,
  });
}

const resumable = (c: ClusterRecord) => c.source === 'deployed' && c.state === 'failed';

/** A deploy of a name that failed before resumes that cluster, under its uuid; any other cluster
 * of that name in the tenant is a conflict. */
export function chooseCluster(db: Db, tenant: string, name: string): ClusterChoice {
  const existing = findClusterByName(db, tenant, name);
  if (!existing) return { uuid: randomUUID(), resumed: false, ownNodes: new Set() };
  if (!resumable(existing)) throw nameTaken(name, existing);
  const ownNodes = new Set(clusterNodes(db, existing.uuid).map((n) => n.ip));
  return { uuid: existing.uuid, resumed: true, ownNodes };
}

/** Checked again in the transaction that writes the deploy's first records, since the bundle was
 * read in between: a resumed cluster that another process removed from management meanwhile is
 * not brought back, and a name another process deployed meanwhile is not deployed twice. */
export function confirmCluster(db: Db, tenant: string, name: string, choice: ClusterChoice): void {
  const existing = findClusterByName(db, tenant, name);
  if (choice.resumed && existing?.uuid !== choice.uuid) throw removedMeanwhile(name, choice.uuid);
  if (existing && !(existing.uuid === choice.uuid && resumable(existing)))
    throw nameTaken(name, existing);
}
