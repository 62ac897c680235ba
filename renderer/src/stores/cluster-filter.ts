import type { ClusterView } from '../../../main/contract/results.js';

/** What the history's text filter looks at: name, state, version, source and node addresses. */
function haystack(cluster: ClusterView): string {
  return [
    cluster.name,
    cluster.state,
    cluster.kube_version?.gitVersion ?? '',
    cluster.source,
    cluster.desc,
    ...(cluster.nodes ?? []).map((n) => `${n.ip} ${n.name}`),
  ]
    .join(' ')
    .toLowerCase();
}

/** `text` is already trimmed and lower-case. */
export function matchesFilter(cluster: ClusterView, text: string): boolean {
  return haystack(cluster).includes(text);
}
