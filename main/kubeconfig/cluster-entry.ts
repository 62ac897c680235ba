import { newClusters, type Cluster } from '@kubernetes/client-node/dist/config_types.js';
import { readReference, type KubeconfigSource } from './paths.js';
import { checkCertificateData, earliestExpiry, isDataProblem } from './pem.js';
import { entryField, problemAt, type Problem } from './problem.js';

/** One entry of `clusters`, checked: the library's view of it, or why it cannot be used. */
export interface ClusterEntry {
  name: string;
  cluster: Cluster | null;
  problems: Problem[];
  caExpiry: number | null;
}

const PROXY_SCHEMES = ['http:', 'https:', 'socks5:', 'socks5h:', 'socks4:', 'socks4a:'];

type Body = Record<string, unknown>;

function asObject(value: unknown): Body | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Body)
    : null;
}

/** Puts the CA file a path refers to inline, so that the stored kubeconfig stands alone. */
function inlineCa(body: Body, name: string, source: KubeconfigSource, problems: Problem[]): Body {
  const ref = body['certificate-authority'];
  if (typeof ref !== 'string' || ref === '' || body['certificate-authority-data']) return body;
  const read = readReference(ref, source, entryField('clusters', name, 'certificate-authority'));
  if (!Buffer.isBuffer(read)) {
    problems.push(read);
    return body;
  }
  const inline: Body = { ...body, 'certificate-authority-data': read.toString('base64') };
  delete inline['certificate-authority'];
  return inline;
}

function checkServer(server: unknown, name: string, insecure: boolean): Problem | null {
  const field = entryField('clusters', name, 'server');
  if (typeof server !== 'string' || server.trim() === '')
    return problemAt(
      field,
      'is empty: the API server address is required',
      '为空：必须填写 API Server 地址',
    );
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    return problemAt(field, `"${server}" is not a URL`, `“${server}” 不是有效的 URL`);
  }
  if (url.protocol === 'http:' && !insecure)
    return problemAt(
      field,
      `"${server}" is plain http: accepted only with insecure-skip-tls-verify: true`,
      `“${server}” 是明文 http：仅在 insecure-skip-tls-verify: true 时接受`,
    );
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return problemAt(
      field,
      `"${server}" must start with https://`,
      `“${server}” 应以 https:// 开头`,
    );
  return null;
}

function proxyUrl(proxy: unknown): URL | null {
  try {
    return new URL(String(proxy));
  } catch {
    return null;
  }
}

function checkProxy(proxy: unknown, name: string): Problem | null {
  if (proxy === undefined || proxy === null || proxy === '') return null;
  const url = proxyUrl(proxy);
  if (url && PROXY_SCHEMES.includes(url.protocol)) return null;
  return problemAt(
    entryField('clusters', name, 'proxy-url'),
    'must be an http://, https:// or socks5:// URL',
    '应为 http://、https:// 或 socks5:// 开头的 URL',
  );
}

function checkCa(body: Body, name: string, problems: Problem[]): number | null {
  const data = body['certificate-authority-data'];
  if (data === undefined || data === null || data === '') return null;
  const certs = checkCertificateData(data);
  if (!isDataProblem(certs)) return earliestExpiry(certs);
  const field = entryField('clusters', name, 'certificate-authority-data');
  problems.push(problemAt(field, certs.message, certs.messageCn));
  return null;
}

/** Checks one raw entry of `clusters` (index `i` names it when it has no name). */
export function readClusterEntry(raw: unknown, i: number, source: KubeconfigSource): ClusterEntry {
  const entry = asObject(raw);
  const name = typeof entry?.name === 'string' ? entry.name : '';
  if (!entry || !name)
    return {
      name: `#${i}`,
      cluster: null,
      caExpiry: null,
      problems: [problemAt(`clusters[${i}].name`, 'is missing', '缺失')],
    };
  const given = asObject(entry.cluster);
  if (!given)
    return {
      name,
      cluster: null,
      caExpiry: null,
      problems: [problemAt(entryField('clusters', name) + '.cluster', 'is missing', '缺失')],
    };
  const problems: Problem[] = [];
  const body = inlineCa(given, name, source, problems);
  for (const p of [
    checkServer(body.server, name, body['insecure-skip-tls-verify'] === true),
    checkProxy(body['proxy-url'], name),
  ])
    if (p) problems.push(p);
  const caExpiry = checkCa(body, name, problems);
  if (problems.length > 0) return { name, cluster: null, caExpiry, problems };
  return {
    name,
    cluster: newClusters([{ ...entry, cluster: body }])[0] ?? null,
    caExpiry,
    problems,
  };
}
