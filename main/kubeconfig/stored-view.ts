import jsyaml from 'js-yaml';
import {
  ActionOnInvalid,
  newClusters,
  newContexts,
  newUsers,
} from '@kubernetes/client-node/dist/config_types.js';
import type { RestConfig } from '../contract/results.js';
import { emptyRestConfig, maskedRestConfig } from './rest-config.js';

const SKIP_INVALID = { onInvalidEntry: ActionOnInvalid.FILTER };

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The library reads `token-file` from disk while it loads users; a stored kubeconfig is
 * self-contained, and a path in it is not followed. */
function withoutTokenFiles(users: unknown[]): unknown[] {
  return users.map((u) => {
    const user = (u as { user?: Record<string, unknown> } | null)?.user;
    if (!user || !('token-file' in user)) return u;
    const rest = { ...user };
    delete rest['token-file'];
    return { ...(u as object), user: rest };
  });
}

/** The masked connection settings of a stored kubeconfig's current (or first) context. This is
 * the list's hot path after many kubeconfigs were written at once, so it skips the certificate
 * checks an import makes and parses with js-yaml, the library's own parser (several times faster
 * than the `yaml` package on these files). */
export function maskedConfigOfStored(text: string, fallbackHost: string): RestConfig {
  let doc: Record<string, unknown>;
  try {
    doc = (jsyaml.load(text) ?? {}) as Record<string, unknown>;
  } catch {
    return emptyRestConfig(fallbackHost);
  }
  const contexts = newContexts(listOf(doc.contexts), SKIP_INVALID);
  const context = contexts.find((c) => c.name === doc['current-context']) ?? contexts[0];
  const cluster = newClusters(listOf(doc.clusters), SKIP_INVALID).find(
    (c) => c.name === context?.cluster,
  );
  if (!context || !cluster) return emptyRestConfig(fallbackHost);
  const users = newUsers(withoutTokenFiles(listOf(doc.users)), SKIP_INVALID);
  return maskedRestConfig(cluster, users.find((u) => u.name === context.user) ?? null);
}
