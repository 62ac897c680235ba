import { invalidField, type TopkeError } from '../contract/errors.js';
import type { NodeEntry, SshCredentials } from '../contract/schemas.js';
import type { SshTarget } from '../ssh/types.js';

export type Role = 'master' | 'worker';

/** One machine of a deploy: where it is, what it becomes, how to log in. */
export interface DeployHost {
  ip: string;
  nodeName: string;
  role: Role;
  /** Its place in master_list or node_list. */
  position: number;
  target: SshTarget;
}

type SshOverride = Partial<SshCredentials>;

/** The SSH credentials of a cluster, sealed on its row for later node additions. */
export interface StoredCredentials {
  ssh?: SshCredentials | undefined;
  nodes: Record<string, SshOverride>;
  /** The password of RegistryConfig, for the runtime configuration of nodes added later. */
  registryPassword?: string;
}

/** A node name when the request gives none, as in the spec's example ("k8s-node-10-30-100-68"). */
export function defaultNodeName(ip: string): string {
  return `k8s-node-${ip.replaceAll('.', '-')}`;
}

/** The login for one host: the request's `ssh`, overridden by the entry's own `ssh`. */
export function sshTarget(
  ip: string,
  base: SshCredentials | undefined,
  override: SshOverride | undefined,
  field: string,
): SshTarget {
  const merged = { ...base, ...override };
  if (!merged.password && !merged.private_key)
    throw invalidField(
      field,
      `needs SSH credentials for ${ip}: a password or a private key`,
      `需要 ${ip} 的 SSH 凭据：密码或私钥`,
    );
  const target: SshTarget = { host: ip, port: merged.port ?? 22, user: merged.user ?? 'root' };
  if (merged.password) target.password = merged.password;
  if (merged.private_key) target.privateKey = merged.private_key;
  if (merged.passphrase) target.passphrase = merged.passphrase;
  if (merged.sudo_password) target.sudoPassword = merged.sudo_password;
  if (merged.legacy_algorithms) target.legacyAlgorithms = true;
  return target;
}

/** The hosts of one list (master_list or node_list) with their logins. */
export function listHosts(
  entries: NodeEntry[],
  role: Role,
  base: SshCredentials | undefined,
  list: string,
): DeployHost[] {
  return entries.map((entry, position) => ({
    ip: entry.IP,
    nodeName: entry.NodeName || defaultNodeName(entry.IP),
    role,
    position,
    target: sshTarget(entry.IP, base, entry.ssh, `${list}[${position}].ssh`),
  }));
}

const fieldOf = (host: DeployHost): string =>
  `${host.role === 'master' ? 'master_list' : 'node_list'}[${host.position}]`;

/** Each address and each node name may appear once in a cluster: once in the request, and not
 * again as one of the cluster's nodes (`taken`). */
export function checkUniqueHosts(
  hosts: DeployHost[],
  taken: { ip: string; nodeName: string }[] = [],
): void {
  const ips = new Set(taken.map((t) => t.ip));
  const names = new Set(taken.map((t) => t.nodeName));
  const given = new Map<string, string>();
  for (const host of hosts) {
    const field = fieldOf(host);
    const ipEarlier = given.get(`IP ${host.ip}`);
    if (ipEarlier) throw givenTwice(`${field}.IP`, host.ip, `${ipEarlier}.IP`);
    const nameEarlier = given.get(`NodeName ${host.nodeName}`);
    if (nameEarlier)
      throw givenTwice(`${field}.NodeName`, host.nodeName, `${nameEarlier}.NodeName`);
    if (ips.has(host.ip))
      throw invalidField(
        `${field}.IP`,
        `${host.ip} is already a node of this cluster`,
        `${host.ip} 已是该集群的节点`,
      );
    if (names.has(host.nodeName))
      throw invalidField(
        `${field}.NodeName`,
        `${host.nodeName} is already the name of another node`,
        `${host.nodeName} 已被其他节点使用`,
      );
    given.set(`IP ${host.ip}`, field);
    given.set(`NodeName ${host.nodeName}`, field);
  }
}

function givenTwice(field: string, value: string, earlier: string): TopkeError {
  return invalidField(
    field,
    `${value} is also ${earlier}: each address and node name is given once`,
    `${value} 与 ${earlier} 重复：每个地址和节点名只能出现一次`,
  );
}

/** What is sealed on the cluster row: the default login and each node's own override. */
export function credentialsOf(
  ssh: SshCredentials | undefined,
  entries: NodeEntry[],
  registryPassword?: string,
): StoredCredentials {
  const nodes: Record<string, SshOverride> = {};
  for (const entry of entries) if (entry.ssh) nodes[entry.IP] = entry.ssh;
  return { ssh, nodes, ...(registryPassword ? { registryPassword } : {}) };
}

/** Every secret a login carries, for redaction. */
export function targetSecrets(hosts: DeployHost[]): string[] {
  return hosts
    .flatMap((h) => [
      h.target.password,
      h.target.privateKey,
      h.target.passphrase,
      h.target.sudoPassword,
    ])
    .filter((s): s is string => !!s);
}
