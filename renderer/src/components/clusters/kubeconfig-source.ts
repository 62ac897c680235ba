import type {
  ExecPluginView,
  KubeconfigInspectResult,
  Notice,
} from '../../../../main/contract/results.js';
import type { ApiError } from '../../api/index.js';
import type { useClustersStore } from '../../stores/clusters.js';
import { toBase64 } from '../../util/kubeconfig.js';

type Clusters = ReturnType<typeof useClustersStore>;

/** One kubeconfig on its way in: from a file (the base64 of its bytes) or pasted text. It holds
 * keys, so it lives in the import view only. */
export interface KubeconfigSource {
  id: number;
  origin: 'file' | 'paste';
  label: string;
  /** The cluster's name in the history; with several contexts, each gets "<name>-<context>". */
  name: string;
  data: string;
  /** Where the file lives on disk (desktop app only), for its relative certificate paths. */
  path: string;
  inspection: KubeconfigInspectResult | null;
  /** The contexts to import. */
  picked: string[];
  /** The fingerprints of the exec plugins the engineer ticked "allow" for: only these are sent
   * as allow_exec, and only for picked contexts. */
  allowedExec: string[];
  status: 'inspecting' | 'unreadable' | 'ready' | 'importing' | 'done' | 'failed';
  error: ApiError | null;
  imported: { name: string; state: string; warnings: Notice[] }[];
}

let nextId = 1;

/** A cluster name from a file name: "prod.kubeconfig.yaml" -> "prod". */
export function nameFromFile(fileName: string): string {
  return fileName
    .replace(/\..*$/, '')
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '')
    .slice(0, 63);
}

function source(
  origin: KubeconfigSource['origin'],
  label: string,
  name: string,
  data: string,
  path = '',
) {
  const s: KubeconfigSource = {
    id: nextId++,
    origin,
    label,
    name,
    data,
    path,
    inspection: null,
    picked: [],
    allowedExec: [],
    status: 'inspecting',
    error: null,
    imported: [],
  };
  return s;
}

// A file goes as the base64 of its exact bytes, so that a BOM or UTF-16 reaches the service,
// which detects the encoding; pasted text goes as typed (YAML or base64, detected there too).
export async function fileSource(file: File, path: string): Promise<KubeconfigSource> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  return source('file', file.name, nameFromFile(file.name) || 'imported', toBase64(bytes), path);
}

/** The fields that say where the kubeconfig came from: a path only when one is known. */
function origin(s: KubeconfigSource): { kube_config_data: string; source_path?: string } {
  return s.path ? { kube_config_data: s.data, source_path: s.path } : { kube_config_data: s.data };
}

export function pasteSource(text: string, name: string): KubeconfigSource {
  return source('paste', '', name, text);
}

/** Reads the source's contexts; the valid ones the service would import are picked. */
export async function inspectSource(s: KubeconfigSource, clusters: Clusters): Promise<void> {
  const outcome = await clusters.inspectKubeconfig(origin(s));
  if (!outcome.ok) {
    s.status = 'unreadable';
    s.error = outcome.error;
    return;
  }
  s.inspection = outcome.value;
  s.picked = outcome.value.default_contexts;
  s.status = 'ready';
}

/** One exec credential plugin of a source's picked contexts, with the contexts that run it. */
export interface PickedPlugin {
  plugin: ExecPluginView;
  contexts: string[];
}

/** The exec plugins the picked contexts would run, one entry per fingerprint. */
export function pickedPlugins(s: KubeconfigSource): PickedPlugin[] {
  const byFingerprint = new Map<string, PickedPlugin>();
  for (const c of s.inspection?.contexts ?? []) {
    if (!c.exec || !s.picked.includes(c.name)) continue;
    const entry = byFingerprint.get(c.exec.fingerprint);
    if (entry) entry.contexts.push(c.name);
    else byFingerprint.set(c.exec.fingerprint, { plugin: c.exec, contexts: [c.name] });
  }
  return [...byFingerprint.values()];
}

/** The warnings to list as text: those about exec plugins are shown with their "allow" box. */
export function plainWarnings(s: KubeconfigSource): Notice[] {
  const prints = (s.inspection?.contexts ?? []).flatMap((c) =>
    c.exec ? [c.exec.fingerprint] : [],
  );
  return (s.inspection?.warnings ?? []).filter((w) => !prints.some((p) => w.message.includes(p)));
}

/** Imports the picked contexts of one source and records the outcome on it. An exec plugin the
 * engineer did not allow is not named, so the service refuses it without running it. */
export async function importSource(
  s: KubeconfigSource,
  saveUnreachable: boolean,
  clusters: Clusters,
): Promise<void> {
  s.status = 'importing';
  const outcome = await clusters.importKubeconfig({
    Name: s.name.trim(),
    ...origin(s),
    contexts: s.picked,
    save_unreachable: saveUnreachable,
    allow_exec: pickedPlugins(s)
      .map((p) => p.plugin.fingerprint)
      .filter((p) => s.allowedExec.includes(p)),
  });
  s.status = outcome.ok ? 'done' : 'failed';
  s.error = outcome.ok ? null : outcome.error;
  s.imported = outcome.ok
    ? outcome.value.Infos.map((i) => ({ name: i.Name, state: i.State, warnings: i.warnings }))
    : [];
}

export function canImport(s: KubeconfigSource): boolean {
  return (s.status === 'ready' || s.status === 'failed') && s.picked.length > 0 && !!s.name.trim();
}
