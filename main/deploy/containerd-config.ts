import { stringify } from 'smol-toml';
import { imageRepository, type PrivateRegistry } from './registry.js';

export const CERTS_DIR = '/etc/containerd/certs.d';
/** Public registries whose images are looked for in the private registry first. */
const MIRRORED = ['docker.io', 'registry.k8s.io', 'quay.io'];

const CRI = 'io.containerd.grpc.v1.cri';

/** containerd's config.toml: systemd cgroups (as kubelet is told), our runc, the pause image, and
 * registry hosts read from certs.d. */
export function renderContainerdConfig(
  registry: PrivateRegistry | null,
  pauseVersion: string,
): string {
  const sandbox = registry
    ? `${imageRepository(registry)}/pause:${pauseVersion}`
    : `registry.k8s.io/pause:${pauseVersion}`;
  const cri: Record<string, unknown> = {
    sandbox_image: sandbox,
    containerd: {
      default_runtime_name: 'runc',
      runtimes: {
        runc: {
          runtime_type: 'io.containerd.runc.v2',
          options: { SystemdCgroup: true, BinaryName: '/usr/local/bin/runc' },
        },
      },
    },
    registry: { config_path: CERTS_DIR } as Record<string, unknown>,
  };
  if (registry?.user) {
    (cri.registry as Record<string, unknown>).configs = {
      [registry.host]: { auth: { username: registry.user, password: registry.password } },
    };
  }
  return stringify({ version: 2, plugins: { [CRI]: cri } });
}

/** Files under certs.d: the registry's own hosts.toml (with its CA) and mirrors for public
 * registries that point into the registry's project. Path -> content. */
export function renderRegistryHosts(registry: PrivateRegistry): Record<string, string> {
  const server = `${registry.scheme}://${registry.host}`;
  const ca = registry.caCert ? `${CERTS_DIR}/${registry.host}/ca.crt` : undefined;
  const tls = ca ? { ca } : registry.scheme === 'http' ? { skip_verify: true } : {};
  const files: Record<string, string> = {
    [`${CERTS_DIR}/${registry.host}/hosts.toml`]: stringify({
      server,
      host: { [server]: { capabilities: ['pull', 'resolve'], ...tls } },
    }),
  };
  if (ca) files[ca] = registry.caCert;
  const mirror = registry.project ? `${server}/v2/${registry.project}` : `${server}/v2`;
  for (const upstream of MIRRORED) {
    files[`${CERTS_DIR}/${upstream}/hosts.toml`] = stringify({
      server: upstream === 'docker.io' ? 'https://registry-1.docker.io' : `https://${upstream}`,
      host: { [mirror]: { capabilities: ['pull', 'resolve'], override_path: true, ...tls } },
    });
  }
  return files;
}
