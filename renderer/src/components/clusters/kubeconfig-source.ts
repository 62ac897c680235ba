import type { OperationInput } from '../../../../main/contract/operations.js';
import type { ClusterAddResult } from '../../../../main/contract/results.js';
import type { ApiError } from '../../api/index.js';
import { toBase64 } from '../../util/kubeconfig.js';

/** One kubeconfig waiting to be imported: from a file (as base64 of its bytes) or pasted text. */
export interface KubeconfigSource {
  id: number;
  origin: 'file' | 'paste';
  label: string;
  /** The cluster's name in the history; the engineer may change it. */
  name: string;
  data: string;
  status: 'pending' | 'done' | 'failed';
  error: ApiError | null;
  imported: string[];
}

let nextId = 1;

/** A cluster name from a file name: "prod.kubeconfig.yaml" -> "prod". */
export function nameFromFile(fileName: string): string {
  const base = fileName.replace(/\.(ya?ml|conf|config|kubeconfig|txt)$/gi, '').replace(/\..*$/, '');
  return base
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '')
    .slice(0, 63);
}

// Files are sent as the base64 of their exact bytes, so that a BOM or UTF-16 reaches the service,
// which detects the encoding; pasted text is sent as typed (YAML or base64, the service detects).
export async function fileSource(file: File): Promise<KubeconfigSource> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  return {
    id: nextId++,
    origin: 'file',
    label: file.name,
    name: nameFromFile(file.name) || 'imported',
    data: toBase64(bytes),
    status: 'pending',
    error: null,
    imported: [],
  };
}

export function pasteSource(text: string, name: string): KubeconfigSource {
  return {
    id: nextId++,
    origin: 'paste',
    label: '',
    name,
    data: text,
    status: 'pending',
    error: null,
    imported: [],
  };
}

type AddCluster = (input: OperationInput<'clusterAdd'>) => Promise<ClusterAddResult | null>;

/** Imports one source and records the outcome on it. */
export async function importSource(
  source: KubeconfigSource,
  saveUnreachable: boolean,
  add: AddCluster,
  lastError: () => ApiError | null,
): Promise<void> {
  const result = await add({
    Name: source.name.trim(),
    kube_config_data: source.data,
    save_unreachable: saveUnreachable,
  });
  source.status = result ? 'done' : 'failed';
  source.error = result ? null : lastError();
  source.imported = result ? result.Infos.map((i) => i.Name) : [];
}
