import { parseAllDocuments, type Document } from 'yaml';

interface EnvVar {
  name: string;
  value?: string;
}

function setPoolCidr(doc: Document, cidr: string): boolean {
  const obj = doc.toJS() as {
    kind?: string;
    spec?: { template?: { spec?: { containers?: { name: string; env?: EnvVar[] }[] } } };
  } | null;
  if (obj?.kind !== 'DaemonSet') return false;
  const containers = obj.spec?.template?.spec?.containers ?? [];
  const index = containers.findIndex((c) => c.name === 'calico-node');
  if (index < 0) return false;
  const envPath = ['spec', 'template', 'spec', 'containers', index, 'env'];
  const env = containers[index]!.env ?? [];
  const at = env.findIndex((e) => e.name === 'CALICO_IPV4POOL_CIDR');
  if (at >= 0) doc.setIn([...envPath, at, 'value'], cidr);
  else doc.addIn(envPath, { name: 'CALICO_IPV4POOL_CIDR', value: cidr });
  return true;
}

/** The Calico manifest with calico-node's CALICO_IPV4POOL_CIDR set to the pod CIDR; `null` when
 * the manifest has no calico-node DaemonSet to set it on. */
export function calicoWithPodCidr(manifest: string, podCidr: string): string | null {
  const docs = parseAllDocuments(manifest);
  if (!Array.isArray(docs)) return null;
  let found = false;
  for (const doc of docs) {
    if (doc.errors.length > 0) return null;
    found = setPoolCidr(doc, podCidr) || found;
  }
  return found ? docs.map((d) => d.toString()).join('') : null;
}
