import { parse, YAMLParseError } from 'yaml';
import { TopkeError } from '../contract/errors.js';

/** A kubeconfig as written, before any entry is checked. */
export interface RawKubeconfig {
  clusters: unknown[];
  users: unknown[];
  contexts: unknown[];
  currentContext: string;
}

function invalid(field: string, message: string, messageCn: string): TopkeError {
  return new TopkeError({
    code: 'kubeconfig_invalid',
    field,
    message: `${field}: ${message}`,
    messageCn: `${field}：${messageCn}`,
  });
}

/** The parser's first line only: later lines quote the source, which may hold a key or token. */
function yamlProblem(err: YAMLParseError, field: string): TopkeError {
  const first = (err.message.split('\n')[0] ?? '').replace(/:\s*$/, '');
  return invalid(field, `is not valid YAML: ${first}`, `不是有效的 YAML：${first}`);
}

function listAt(doc: Record<string, unknown>, key: string, field: string): unknown[] {
  const value = doc[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalid(`${field}.${key}`, 'must be a list', '应为列表');
  return value;
}

/** Parses the YAML (or JSON) text of a kubeconfig into its three lists and its current context. */
export function readKubeconfigDocument(text: string, field = 'kube_config_data'): RawKubeconfig {
  let doc: unknown;
  try {
    doc = parse(text, { uniqueKeys: true, maxAliasCount: 100 });
  } catch (err) {
    if (err instanceof YAMLParseError) throw yamlProblem(err, field);
    throw err;
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc))
    throw invalid(
      field,
      'is not a kubeconfig: the YAML is not a mapping',
      '不是 kubeconfig：YAML 不是映射',
    );
  const map = doc as Record<string, unknown>;
  const current = map['current-context'];
  return {
    clusters: listAt(map, 'clusters', field),
    users: listAt(map, 'users', field),
    contexts: listAt(map, 'contexts', field),
    currentContext: typeof current === 'string' ? current : '',
  };
}
