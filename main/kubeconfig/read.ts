import { readClusterEntry, type ClusterEntry } from './cluster-entry.js';
import { readContextEntry, type ContextEntry } from './context-entry.js';
import { decodeKubeconfig, type DecodedKubeconfig } from './decode.js';
import { readKubeconfigDocument } from './document.js';
import type { KubeconfigSource } from './paths.js';
import { entryField, problemAt } from './problem.js';
import { readUserEntry, type UserEntry } from './user-entry.js';

/** A kubeconfig read and checked: how it was encoded, its current context, and every context. */
export interface ReadKubeconfig {
  decoded: DecodedKubeconfig;
  currentContext: string;
  contexts: ContextEntry[];
}

/** Later entries of the same name are ignored, as kubectl does. */
function byName<T extends { name: string }>(entries: T[]): Map<string, T> {
  const map = new Map<string, T>();
  for (const e of entries) if (!map.has(e.name)) map.set(e.name, e);
  return map;
}

function markDuplicates(contexts: ContextEntry[]): void {
  const seen = new Set<string>();
  for (const c of contexts) {
    if (seen.has(c.name))
      c.problems.unshift(
        problemAt(
          entryField('contexts', c.name),
          'is defined twice; the first one is used',
          '重复定义，使用第一个',
        ),
      );
    seen.add(c.name);
  }
}

/** Decodes, parses and checks a kubeconfig; file references are resolved from `source`. */
export function readKubeconfig(
  data: string,
  source: KubeconfigSource,
  field = 'kube_config_data',
): ReadKubeconfig {
  const decoded = decodeKubeconfig(data, field);
  const doc = readKubeconfigDocument(decoded.text, field);
  const clusters = byName<ClusterEntry>(doc.clusters.map((c, i) => readClusterEntry(c, i, source)));
  const users = byName<UserEntry>(doc.users.map((u, i) => readUserEntry(u, i, source)));
  const contexts = doc.contexts.map((c, i) => readContextEntry(c, i, clusters, users));
  markDuplicates(contexts);
  return { decoded, currentContext: doc.currentContext, contexts };
}
