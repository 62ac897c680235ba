import { TopkeError } from '../contract/errors.js';
import type { Db } from '../store/db.js';

/** A context name as a cluster name: "kubernetes-admin@kubernetes" becomes
 * "kubernetes-admin-kubernetes" (letters, digits, "-", "_", "."; at most 63 characters). */
function slug(text: string): string {
  return text
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '')
    .slice(0, 63)
    .replace(/[^A-Za-z0-9]+$/, '');
}

/** One context keeps the requested name; several are told apart by their context's name. */
export function importNames(base: string, contexts: string[]): string[] {
  if (contexts.length === 1) return [base];
  return contexts.map((c) => slug(`${base}-${c}`) || base);
}

/** Two clusters of one tenant never share a name: the list and the CLI find clusters by it. */
export function refuseTakenNames(db: Db, tenant: string, names: string[]): void {
  const taken = db.prepare('SELECT 1 FROM clusters WHERE tenant_uuid = ? AND name = ?');
  const seen = new Set<string>();
  for (const name of names) {
    if (taken.get(tenant, name) || seen.has(name))
      throw new TopkeError({
        code: 'conflict',
        field: 'Name',
        message: `Name: this tenant already has a cluster named "${name}"`,
        messageCn: `Name：该租户下已有名为 “${name}” 的集群`,
      });
    seen.add(name);
  }
}
