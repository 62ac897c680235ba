import http from 'node:http';
import https from 'node:https';
import { checkServerIdentity, type PeerCertificate, type TLSSocket } from 'node:tls';
import type { Cluster, User } from '@kubernetes/client-node/dist/config_types.js';
import type { TopkeError } from '../contract/errors.js';
import type { ContextEntry } from './context-entry.js';
import { refuseUnallowedExec } from './exec-consent.js';
import { resolveExecCredential } from './exec-plugin.js';
import { entryField } from './problem.js';
import { classifyProbeError, probeInvalid, statusError, type ProbeFields } from './probe-errors.js';

/** The API server answered /version: its answer, and when its serving certificate expires. */
export interface Reached {
  reachable: true;
  version: Record<string, unknown>;
  serverCertExpiry: number | null;
}

/** The API server could not be reached; the kubeconfig may still be right. */
export interface Unreached {
  reachable: false;
  error: TopkeError;
}

const MAX_ANSWER = 64 * 1024;
const DEFAULT_TIMEOUT_MS = 8_000;

function fieldsOf(context: ContextEntry, cluster: Cluster): ProbeFields {
  return {
    server: cluster.server,
    cluster: entryField('clusters', cluster.name),
    user: context.userName
      ? entryField('users', context.userName)
      : entryField('contexts', context.name, 'user'),
    proxy: cluster.proxyUrl,
    tlsServerName: cluster.tlsServerName,
    hasCa: Boolean(cluster.caData),
  };
}

/** The library builds the agent (proxy, CA, client certificate) and the auth headers. It applies
 * a cluster's TLS settings only when there is a user, so an anonymous context gets an empty one. */
async function requestOptions(cluster: Cluster, user: User | null): Promise<https.RequestOptions> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  const who = user ?? { name: 'anonymous' };
  kc.loadFromOptions({
    clusters: [cluster],
    users: [who],
    contexts: [{ name: 'probe', cluster: cluster.name, user: who.name }],
    currentContext: 'probe',
  });
  const opts: https.RequestOptions = {};
  await kc.applyToHTTPSOptions(opts);
  return opts;
}

/** Checks the server's name ourselves: a SOCKS tunnel otherwise checks an IP server as "localhost". */
function identityCheck(cluster: Cluster, url: URL): https.RequestOptions['checkServerIdentity'] {
  const name = cluster.tlsServerName || url.hostname.replace(/^\[|\]$/g, '');
  return (_host: string, cert: PeerCertificate) => checkServerIdentity(name, cert);
}

function expiryOf(socket: unknown): number | null {
  const peer = (socket as Partial<TLSSocket>).getPeerCertificate?.();
  const time = peer?.valid_to ? Date.parse(peer.valid_to) : NaN;
  return Number.isFinite(time) ? Math.floor(time / 1000) : null;
}

interface Answer {
  status: number;
  body: string;
  serverCertExpiry: number | null;
}

function getVersion(url: URL, opts: https.RequestOptions, timeoutMs: number): Promise<Answer> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(url, { ...opts, method: 'GET', timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_ANSWER) chunks.push(chunk);
      });
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          serverCertExpiry: expiryOf(res.socket),
        }),
      );
      res.on('error', reject);
    });
    const deadline = setTimeout(
      () =>
        req.destroy(
          Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' }),
        ),
      timeoutMs,
    );
    req.on('timeout', () =>
      req.destroy(
        Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' }),
      ),
    );
    req.on('error', reject);
    req.on('close', () => clearTimeout(deadline));
    req.end();
  });
}

function versionOf(answer: Answer, fields: ProbeFields): Record<string, unknown> {
  if (answer.status !== 200) throw statusError(answer.status, fields);
  try {
    const body = JSON.parse(answer.body) as Record<string, unknown>;
    if (typeof body.gitVersion === 'string') return body;
  } catch {
    /* reported below */
  }
  throw probeInvalid(
    `${fields.cluster}.cluster.server`,
    'answered /version, but not as a Kubernetes API server does',
    '响应了 /version，但不是 Kubernetes API Server 的格式',
  );
}

export interface ProbeOptions {
  /** The fingerprints of the exec plugins the engineer allowed (a kubeconfig being imported);
   * absent for a stored kubeconfig, whose plugin was allowed when it was imported. */
  allowedExec?: readonly string[];
  timeoutMs?: number;
}

/** Reads /version from a context's API server with its credentials (running its exec plugin if
 * it has one and it is allowed). Unreachable is an answer; any other failure throws an error
 * naming the field. */
export async function probeContext(
  context: ContextEntry,
  options: ProbeOptions = {},
): Promise<Reached | Unreached> {
  const cluster = context.cluster?.cluster;
  if (!cluster) throw new Error(`context ${context.name} has no usable cluster`);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const fields = fieldsOf(context, cluster);
  let user = context.user?.user ?? null;
  if (options.allowedExec) refuseUnallowedExec([context], options.allowedExec);
  if (user?.exec) user = await resolveExecCredential(user, fields.user);
  const url = new URL(`${cluster.server}/version`);
  try {
    const opts = await requestOptions(cluster, user);
    if (!cluster.skipTLSVerify) opts.checkServerIdentity = identityCheck(cluster, url);
    const answer = await getVersion(url, opts, timeoutMs);
    return {
      reachable: true,
      version: versionOf(answer, fields),
      serverCertExpiry: answer.serverCertExpiry,
    };
  } catch (err) {
    const error = classifyProbeError(err, fields);
    if (error.code === 'unreachable') return { reachable: false, error };
    throw error;
  }
}
