import type { Cluster, User } from '@kubernetes/client-node/dist/config_types.js';
import type { RestConfig } from '../contract/results.js';
import type { ContextEntry } from './context-entry.js';

/** A connection with only its address known (a deploy that has not fetched its kubeconfig yet). */
export function emptyRestConfig(host: string): RestConfig {
  return {
    Host: host,
    APIPath: '',
    Username: '',
    Password: '',
    BearerToken: '',
    BearerTokenFile: '',
    TlsClientConfig: {
      Insecure: false,
      ServerName: '',
      CertFile: '',
      KeyFile: '',
      CAFile: '',
      CertData: '',
      KeyData: '',
      CAData: '',
      NextProtos: null,
    },
  };
}

/** The spec's rest config of a cluster and user, with every secret (client key, password,
 * token) left empty: results reach the renderer, and secrets must not. */
export function maskedRestConfig(cluster: Cluster, user: User | null): RestConfig {
  const config = emptyRestConfig(cluster.server);
  config.Username = user?.username ?? '';
  config.TlsClientConfig.Insecure = cluster.skipTLSVerify;
  config.TlsClientConfig.ServerName = cluster.tlsServerName ?? '';
  config.TlsClientConfig.CAData = cluster.caData ?? '';
  config.TlsClientConfig.CertData = user?.certData ?? '';
  return config;
}

export function maskedContextConfig(context: ContextEntry): RestConfig | null {
  const cluster = context.cluster?.cluster;
  return cluster ? maskedRestConfig(cluster, context.user?.user ?? null) : null;
}
