import { notFound } from '../contract/errors.js';
import { splitAddress } from './registry-address.js';
import type { Db } from '../store/db.js';
import type { SecretBox } from '../store/secrets.js';

/** The private registry nodes pull from: its address split into scheme and host[:port]. */
export interface PrivateRegistry {
  scheme: 'https' | 'http';
  host: string;
  project: string;
  user: string;
  password: string;
  caCert: string;
}

interface RegistryRow {
  address: string;
  project: string;
  user: string;
  password_enc: Buffer | null;
  ca_cert: string;
}

export { splitAddress } from './registry-address.js';

/** The registry of the request: RegistryConfig when it names an address, else the managed
 * registry named by use_managed_registry_project, else none. */
export function resolveRegistry(
  db: Db,
  secrets: SecretBox,
  config:
    { RegistryAddress: string; Project: string; User: string; Password: string } | null | undefined,
  managed: { registry_uuid: string; project_name: string } | null | undefined,
): PrivateRegistry | null {
  if (config?.RegistryAddress) {
    const { scheme, host } = splitAddress(config.RegistryAddress, 'RegistryConfig.RegistryAddress');
    return {
      scheme,
      host,
      project: config.Project,
      user: config.User,
      password: config.Password,
      caCert: '',
    };
  }
  if (!managed?.registry_uuid) return null;
  const row = db
    .prepare('SELECT address, project, user, password_enc, ca_cert FROM registries WHERE uuid = ?')
    .get(managed.registry_uuid) as RegistryRow | undefined;
  if (!row)
    throw notFound(
      'managed registry',
      '纳管镜像仓库',
      managed.registry_uuid,
      'use_managed_registry_project.registry_uuid',
    );
  const { scheme, host } = splitAddress(row.address, 'use_managed_registry_project.registry_uuid');
  return {
    scheme,
    host,
    project: managed.project_name || row.project,
    user: row.user,
    password: row.password_enc ? secrets.open(row.password_enc) : '',
    caCert: row.ca_cert,
  };
}

/** A registry in the spec's RegistryConfig shape, without its password. */
export interface RegistryView {
  RegistryAddress: string;
  Project: string;
  User: string;
}

export function registryView(registry: PrivateRegistry | null): RegistryView | null {
  if (!registry) return null;
  const { scheme, host, project, user } = registry;
  return { RegistryAddress: `${scheme}://${host}`, Project: project, User: user };
}

/** Where kubeadm pulls control-plane images from: "<host>/<project>". */
export function imageRepository(registry: PrivateRegistry): string {
  return registry.project ? `${registry.host}/${registry.project}` : registry.host;
}
