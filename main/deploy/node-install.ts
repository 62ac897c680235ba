import type { Bundle } from '../bundle/open.js';
import { shellCommand, shellQuote } from '../ssh/quote.js';
import { bundleDir } from './bundle-push.js';
import { CERTS_DIR, renderContainerdConfig, renderRegistryHosts } from './containerd-config.js';
import { refuseOwnedScript, writeHostFiles, type HostFile } from './host-files.js';
import type { PrivateRegistry } from './registry.js';
import type { Remote } from './remote.js';
import type { StepResult } from './run.js';
import { KERNEL_MODULES, MODULES_FILE, SYSCTLS, SYSCTL_FILE, UNIT_FILES } from './units.js';

export const BIN_DIR = '/usr/local/bin';

/** Installs the bundle's bin/* into /usr/local/bin, leaving identical files alone. */
export async function installBinaries(remote: Remote, bundle: Bundle): Promise<StepResult> {
  const bins = bundle.manifest.files.filter((f) => f.path.startsWith('bin/'));
  const target = (path: string) => `${BIN_DIR}/${path.slice(4)}`;
  const lines = bins.map(
    (f) => `put ${shellQuote(`${bundleDir(bundle)}/${f.path}`)} ${shellQuote(target(f.path))}`,
  );
  const script = `set -e
${refuseOwnedScript(bins.map((f) => target(f.path)))}put() {
  if [ -f "$2" ] && cmp -s "$1" "$2"; then echo "unchanged $2"; return; fi
  install -D -m 0755 "$1" "$2"; echo "installed $2"
}
${lines.join('\n')}
`;
  const result = await remote.run('sh -s', {
    stdin: script,
    label: `install ${bins.length} binaries into ${BIN_DIR}`,
    idempotent: true,
  });
  return /^installed /m.test(result.stdout) ? 'ok' : 'skipped';
}

const asFiles = (files: Record<string, string>, mode = 0o644): HostFile[] =>
  Object.entries(files).map(([path, content]) => ({ path, content, mode }));

/** containerd and kubelet units into /etc/systemd/system, then both enabled (kubeadm starts the kubelet). */
export async function installUnits(remote: Remote): Promise<StepResult> {
  const written = await writeHostFiles(remote, asFiles(UNIT_FILES));
  await remote.run('systemctl daemon-reload && systemctl enable containerd kubelet', {
    idempotent: true,
  });
  return written.length === 0 ? 'skipped' : 'ok';
}

/** Kernel modules and sysctls as kubeadm requires, loaded now and at boot; swap off now and in
 * /etc/fstab. swapoff acts on the whole machine, so it only runs when swap is actually on. */
export async function configureKernel(remote: Remote): Promise<void> {
  const sysctls = Object.entries(SYSCTLS)
    .map(([k, v]) => `${k} = ${v}\n`)
    .join('');
  await writeHostFiles(
    remote,
    asFiles({ [MODULES_FILE]: `${KERNEL_MODULES.join('\n')}\n`, [SYSCTL_FILE]: sysctls }),
  );
  const script = `set -e
${KERNEL_MODULES.map((m) => `modprobe ${m}`).join('\n')}
sysctl -p ${SYSCTL_FILE}
if [ "$(tail -n +2 /proc/swaps | wc -l)" -gt 0 ]; then swapoff -a; echo "swap turned off"; fi
if [ -f /etc/fstab ]; then sed -i -E 's/^([^#[:space:]][^[:space:]]*[[:space:]]+[^[:space:]]+[[:space:]]+swap[[:space:]].*)$/# \\1/' /etc/fstab; fi
`;
  await remote.run('sh -s', {
    stdin: script,
    label: 'load kernel modules, apply sysctls, turn swap off now and in /etc/fstab',
    idempotent: true,
  });
}

/** containerd's config (systemd cgroups, pause image, registry hosts with mirror and CA), then a restart. */
export async function configureRuntime(
  remote: Remote,
  registry: PrivateRegistry | null,
  pauseVersion: string,
): Promise<void> {
  // The config holds the registry password when there is one: root only then.
  const mode = registry?.password ? 0o600 : 0o644;
  const files: HostFile[] = [
    {
      path: '/etc/containerd/config.toml',
      content: renderContainerdConfig(registry, pauseVersion),
      mode,
    },
  ];
  if (registry) files.push(...asFiles(renderRegistryHosts(registry)));
  else remote.output.add(`no private registry: ${CERTS_DIR} left as it is`);
  await writeHostFiles(remote, files);
  await remote.run(
    `systemctl restart containerd && systemctl is-active containerd && ${BIN_DIR}/containerd --version`,
    { idempotent: true },
  );
}

/** Imports the bundle's images/*.tar into containerd's Kubernetes namespace. */
export async function importImages(remote: Remote, bundle: Bundle): Promise<StepResult> {
  const images = bundle.manifest.files.filter((f) => /^images\/.+\.tar$/.test(f.path));
  const imports = images.map((i) =>
    shellCommand(
      `${BIN_DIR}/ctr`,
      '-n',
      'k8s.io',
      'images',
      'import',
      `${bundleDir(bundle)}/${i.path}`,
    ),
  );
  if (images.length > 0)
    await remote.run(`set -e\n${imports.join('\n')}`, {
      label: imports.join('\n'),
      idempotent: true,
    });
  if (images.length === 0) remote.output.add('the bundle has no images');
  return images.length === 0 ? 'skipped' : 'ok';
}
