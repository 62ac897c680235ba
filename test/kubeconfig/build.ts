// Kubeconfigs for the tests, written as kubectl and kubeadm write them.
import { stringify } from 'yaml';
import { b64, type KeyPair } from './pki.js';

type Body = Record<string, unknown>;

export interface KubeconfigSpec {
  clusters?: { name: string; cluster: Body }[];
  users?: { name: string; user: Body }[];
  contexts?: { name: string; context: Body }[];
  current?: string;
}

export function kubeconfigYaml(spec: KubeconfigSpec): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: spec.clusters ?? [],
    users: spec.users ?? [],
    contexts: spec.contexts ?? [],
    ...(spec.current !== undefined ? { 'current-context': spec.current } : {}),
    preferences: {},
  });
}

/** The shape kubeadm writes for its admin: one cluster, one client-certificate user. */
export function adminKubeconfig(
  server: string,
  ca: string,
  client: KeyPair,
  name = 'kubernetes',
): string {
  return kubeconfigYaml({
    clusters: [{ name, cluster: { server, 'certificate-authority-data': b64(ca) } }],
    users: [
      {
        name: `${name}-admin`,
        user: { 'client-certificate-data': b64(client.cert), 'client-key-data': b64(client.key) },
      },
    ],
    contexts: [
      { name: `${name}-admin@${name}`, context: { cluster: name, user: `${name}-admin` } },
    ],
    current: `${name}-admin@${name}`,
  });
}
