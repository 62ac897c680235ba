import { createHash } from 'node:crypto';
import type { Bundle } from '../bundle/open.js';
import { shellCommand, shellQuote } from '../ssh/quote.js';
import { bundleDir } from './bundle-push.js';
import { CERTS_DIR, renderContainerdConfig, renderRegistryHosts } from './containerd-config.js';
import type { PrivateRegistry } from './registry.js';
import type { Remote } from './remote.js';
import type { StepResult } from './run.js';
import { KERNEL_MODULES, MODULES_FILE, SYSCTLS, SYSCTL_FILE, UNIT_FILES } from './units.js';

export const BIN_DIR = '/usr/local/bin';

/** Shell functions shared by the install scripts: is a path owned by the OS package manager
 * (dpkg or rpm), and is a file already the same as another. */
const HELPERS = `owned() {
  if command -v dpkg-query >/dev/null 2>&1 && dpkg-query -S "$1" >/dev/null 2>&1; then return 0; fi
  if command -v rpm >/dev/null 2>&1 && rpm -qf "$1" >/dev/null 2>&1; then return 0; fi
  return 1
}
refuse_owned() {
  if owned "$1"; then echo "$1 belongs to an OS package; TopKE does not replace it. Remove that package first." >&2; exit 3; fi
}
`;

/** Installs the bundle's bin/* into /usr/local/bin, leaving identical files alone. */
export async function installBinaries(remote: Remote, bundle: Bundle): Promise<StepResult> {
  const bins = bundle.manifest.files.filter((f) => f.path.startsWith('bin/'));
  const lines = bins.map((f) => {
    const src = `${bundleDir(bundle)}/${f.path}`;
    const dst = `${BIN_DIR}/${f.path.slice(4)}`;
    return `put ${shellQuote(src)} ${shellQuote(dst)}`;
  });
  const script = `set -e
${HELPERS}put() {
  refuse_owned "$2"
  if [ -f "$2" ] && cmp -s "$1" "$2"; then echo "unchanged $2"; return; fi
  install -D -m 0755 "$1" "$2"; echo "installed $2"
}
${lines.join('\n')}
`;
  const result = await remote.run(script, {
    label: `install ${bins.length} binaries into ${BIN_DIR}`,
  });
  return /^installed /m.test(result.stdout) ? 'ok' : 'skipped';
}

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Writes files that differ from what the host has, refusing paths the package manager owns.
 * Returns how many were written. */
async function writeChangedFiles(
  remote: Remote,
  files: Record<string, string>,
  mode = 0o644,
): Promise<number> {
  const paths = Object.keys(files);
  const check = paths.map((p) => `same ${shellQuote(p)} ${sha(files[p]!)}`).join('\n');
  const result = await remote.run(
    `set -e\n${HELPERS}same() {\n  refuse_owned "$1"\n  if [ -f "$1" ] && [ "$(sha256sum < "$1" | cut -d' ' -f1)" = "$2" ]; then echo "same $1"; fi\n}\n${check}\n`,
    { label: `compare ${paths.length} file(s) with what the host has` },
  );
  const same = new Set([...result.stdout.matchAll(/^same (.+)$/gm)].map((m) => m[1]));
  const changed = paths.filter((p) => !same.has(p));
  for (const path of changed) await remote.write(path, files[path]!, mode);
  return changed.length;
}

/** containerd and kubelet units into /etc/systemd/system, then both enabled (kubeadm starts the kubelet). */
export async function installUnits(remote: Remote): Promise<StepResult> {
  const written = await writeChangedFiles(remote, UNIT_FILES);
  await remote.run('systemctl daemon-reload');
  await remote.run('systemctl enable containerd kubelet');
  return written === 0 ? 'skipped' : 'ok';
}

/** Kernel modules and sysctls as kubeadm requires, loaded now and at boot; swap off now and in fstab. */
export async function configureKernel(remote: Remote): Promise<void> {
  await writeChangedFiles(remote, {
    [MODULES_FILE]: `${KERNEL_MODULES.join('\n')}\n`,
    [SYSCTL_FILE]: Object.entries(SYSCTLS)
      .map(([k, v]) => `${k} = ${v}\n`)
      .join(''),
  });
  for (const mod of KERNEL_MODULES) await remote.run(`modprobe ${mod}`);
  await remote.run(`sysctl -p ${SYSCTL_FILE}`);
  // Only when swap is on: swapoff acts on the whole machine, and there is nothing to do otherwise.
  await remote.run('if [ "$(tail -n +2 /proc/swaps | wc -l)" -gt 0 ]; then swapoff -a; fi');
  await remote.run(
    "if [ -f /etc/fstab ]; then sed -i -E 's/^([^#[:space:]][^[:space:]]*[[:space:]]+[^[:space:]]+[[:space:]]+swap[[:space:]].*)$/# \\1/' /etc/fstab; fi",
    { label: 'comment out swap entries in /etc/fstab' },
  );
}

/** containerd's config (systemd cgroups, pause image, registry hosts with mirror and CA), then a restart. */
export async function configureRuntime(
  remote: Remote,
  registry: PrivateRegistry | null,
  pauseVersion: string,
): Promise<void> {
  const config = renderContainerdConfig(registry, pauseVersion);
  // The config holds the registry password when there is one: root only then.
  await writeChangedFiles(
    remote,
    { '/etc/containerd/config.toml': config },
    registry?.password ? 0o600 : 0o644,
  );
  if (registry) await writeChangedFiles(remote, renderRegistryHosts(registry));
  else remote.output.add(`no private registry: ${CERTS_DIR} left as it is`);
  await remote.run('systemctl restart containerd');
  await remote.run('systemctl is-active containerd');
  await remote.run(`${BIN_DIR}/containerd --version`);
}

/** Imports the bundle's images/*.tar into containerd's Kubernetes namespace. */
export async function importImages(remote: Remote, bundle: Bundle): Promise<StepResult> {
  const images = bundle.manifest.files.filter((f) => /^images\/.+\.tar$/.test(f.path));
  for (const image of images)
    await remote.run(
      shellCommand(
        `${BIN_DIR}/ctr`,
        '-n',
        'k8s.io',
        'images',
        'import',
        `${bundleDir(bundle)}/${image.path}`,
      ),
    );
  if (images.length === 0) remote.output.add('the bundle has no images');
  return images.length === 0 ? 'skipped' : 'ok';
}
