import type { ClusterEntry } from './cluster-entry.js';
import { entryField, problemAt, type Problem } from './problem.js';
import type { UserEntry } from './user-entry.js';

/** One entry of `contexts`, with the cluster and user it names, and every reason it is unusable. */
export interface ContextEntry {
  name: string;
  clusterName: string;
  userName: string;
  namespace: string;
  cluster: ClusterEntry | null;
  user: UserEntry | null;
  problems: Problem[];
}

type Body = Record<string, unknown>;

function asObject(value: unknown): Body | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Body)
    : null;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function missingReference(name: string, key: 'cluster' | 'user', target: string): Problem {
  const field = entryField('contexts', name, key);
  if (!target) return problemAt(field, 'is missing', '缺失');
  return problemAt(
    field,
    `refers to ${key} "${target}", which is not in the kubeconfig`,
    `引用的${key === 'cluster' ? '集群' : '用户'} “${target}” 不在该 kubeconfig 中`,
  );
}

/** Links one raw context to its cluster and user; their problems become the context's. */
export function readContextEntry(
  raw: unknown,
  i: number,
  clusters: Map<string, ClusterEntry>,
  users: Map<string, UserEntry>,
): ContextEntry {
  const entry = asObject(raw);
  const name = text(entry?.name);
  const body = asObject(entry?.context) ?? {};
  const clusterName = text(body.cluster);
  const userName = text(body.user);
  const cluster = clusters.get(clusterName) ?? null;
  const user = userName ? (users.get(userName) ?? null) : null;
  const problems: Problem[] = [];
  if (!name) problems.push(problemAt(`contexts[${i}].name`, 'is missing', '缺失'));
  if (!cluster) problems.push(missingReference(name || `#${i}`, 'cluster', clusterName));
  if (userName && !user) problems.push(missingReference(name || `#${i}`, 'user', userName));
  problems.push(...(cluster?.problems ?? []), ...(user?.problems ?? []));
  return {
    name: name || `#${i}`,
    clusterName,
    userName,
    namespace: text(body.namespace),
    cluster,
    user,
    problems,
  };
}
