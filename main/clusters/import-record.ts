import { randomUUID } from 'node:crypto';
import type { Notice } from '../contract/results.js';
import type { ServiceContext } from '../context.js';
import type { ContextEntry } from '../kubeconfig/context-entry.js';
import type { Reached, Unreached } from '../kubeconfig/probe.js';
import { maskedContextConfig } from '../kubeconfig/rest-config.js';
import { standaloneKubeconfig } from '../kubeconfig/standalone.js';
import type { Db } from '../store/db.js';

/** An imported cluster as it is saved. */
export interface ImportRecord {
  uuid: string;
  tenant_uuid: string;
  name: string;
  context: string;
  state: 'running' | 'unreachable';
  state_desc: string;
  api_server: string;
  kube_version: string | null;
  kubeconfig_enc: Buffer;
  config_public: string;
  settings: string;
  cert_expiry: number | null;
  created_at: number;
  warnings: Notice[];
}

/** When the kubeconfig stops working: the earliest of its CA, its client certificate and the
 * server's certificate. */
export function certExpiryOf(
  context: ContextEntry,
  serverCertExpiry: number | null,
): number | null {
  const times = [context.cluster?.caExpiry, context.user?.certExpiry, serverCertExpiry].filter(
    (t): t is number => typeof t === 'number',
  );
  return times.length ? Math.min(...times) : null;
}

export function insecureNotice(context: ContextEntry): Notice[] {
  if (!context.cluster?.cluster?.skipTLSVerify) return [];
  return [
    {
      message: `context "${context.name}": insecure-skip-tls-verify is set, so the API server's certificate is not checked and anyone on the network path can pose as it`,
      message_cn: `上下文 “${context.name}”：设置了 insecure-skip-tls-verify，不校验 API Server 的证书，网络路径上的任何人都可以冒充它`,
    },
  ];
}

interface RecordInput {
  context: ContextEntry;
  name: string;
  tenant: string;
  outcome: Reached | Unreached;
  sourcePath: string | undefined;
  now: number;
}

/** Builds the row of one imported context: its standalone kubeconfig sealed, its masked view. */
export function importRecord(ctx: ServiceContext, input: RecordInput): ImportRecord {
  const { context, outcome } = input;
  const cluster = context.cluster!.cluster!;
  const reached = outcome.reachable ? outcome : null;
  const settings = {
    context: context.name,
    namespace: context.namespace,
    auth: context.user?.auth ?? 'none',
    insecure: cluster.skipTLSVerify,
    tls_server_name: cluster.tlsServerName ?? '',
    proxy_url: cluster.proxyUrl ?? '',
    imported_from: input.sourcePath ? 'file' : 'text',
    source_path: input.sourcePath ?? '',
  };
  const unreachable: Notice[] = outcome.reachable
    ? []
    : [
        {
          message: `saved as unreachable: ${outcome.error.message}`,
          message_cn: `已保存为不可达：${outcome.error.messageCn}`,
        },
      ];
  return {
    uuid: randomUUID(),
    tenant_uuid: input.tenant,
    name: input.name,
    context: context.name,
    state: reached ? 'running' : 'unreachable',
    state_desc: outcome.reachable ? '' : outcome.error.message,
    api_server: cluster.server,
    kube_version: reached ? JSON.stringify(reached.version) : null,
    kubeconfig_enc: ctx.secrets.seal(standaloneKubeconfig(context)),
    config_public: JSON.stringify(maskedContextConfig(context)),
    settings: JSON.stringify(settings),
    cert_expiry: certExpiryOf(context, reached?.serverCertExpiry ?? null),
    created_at: input.now,
    warnings: [...insecureNotice(context), ...unreachable],
  };
}

export function insertImportRecord(db: Db, r: ImportRecord): void {
  db.prepare(
    `INSERT INTO clusters (uuid, tenant_uuid, name, source, state, state_desc, api_server,
      kube_version, kubeconfig_enc, config_public, settings, cert_expiry, created_at, updated_at)
     VALUES (@uuid, @tenant_uuid, @name, 'imported', @state, @state_desc, @api_server,
      @kube_version, @kubeconfig_enc, @config_public, @settings, @cert_expiry, @created_at,
      @created_at)`,
  ).run({ ...r, warnings: undefined, context: undefined });
}
