/**
 * Builds a small offline bundle for tests from the kube stand-ins: a folder and a .tar.gz of it,
 * in a fresh temporary folder, with a manifest like a real bundle's.
 */
import { createHash } from 'node:crypto';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { create } from 'tar';
import { standinDir } from './standins.js';

export const KUBE_BINARIES = ['kubeadm', 'kubelet', 'kubectl', 'containerd', 'ctr', 'runc'];

export interface ManifestFile {
  path: string;
  sha256: string;
  size: number;
  mode: string;
}

export interface TestBundle {
  /** The bundle folder (holds manifest.json). */
  dir: string;
  /** The same bundle as a .tar.gz with one top-level folder. */
  archive: string;
  version: string;
  manifest: {
    kubernetes_version: string;
    arch: string;
    components: Record<string, string>;
    files: ManifestFile[];
  };
  remove(): void;
}

export interface TestBundleOptions {
  version?: string;
  arch?: string;
  /** Image names to pack into images/*.tar (OCI layout with the containerd name annotation). */
  images?: string[];
}

const CALICO = `# Calico for tests: the shape of the upstream manifest, kept small.
apiVersion: v1
kind: ConfigMap
metadata:
  name: calico-config
  namespace: kube-system
data:
  calico_backend: bird
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: calico-node
  namespace: kube-system
spec:
  selector:
    matchLabels:
      k8s-app: calico-node
  template:
    metadata:
      labels:
        k8s-app: calico-node
    spec:
      containers:
        - name: calico-node
          image: docker.io/calico/node:v3.27.3
          env:
            - name: CALICO_NETWORKING_BACKEND
              valueFrom:
                configMapKeyRef:
                  name: calico-config
                  key: calico_backend
            # - name: CALICO_IPV4POOL_CIDR
            #   value: "192.168.0.0/16"
            - name: FELIX_IPV6SUPPORT
              value: "false"
`;

/** The yaml package the node stand-ins load. Lab hosts see neither /tmp, /root nor /home, where a
 * checkout may live, so a copy goes under /srv/topke-lab, which they do see (once per process). */
let yamlCopy: string | undefined;
function yamlModulePath(): string {
  if (yamlCopy) return yamlCopy;
  const entry = createRequire(import.meta.url).resolve('yaml');
  const pkgDir =
    entry.slice(0, entry.lastIndexOf(`${sep}node_modules${sep}yaml${sep}`)) +
    `${sep}node_modules${sep}yaml`;
  const target = join(
    '/srv/topke-lab',
    process.env.TOPKE_LAB_RUN_ID ?? 'support',
    `yaml-${process.pid}`,
  );
  cpSync(pkgDir, target, { recursive: true });
  yamlCopy = join(target, entry.slice(pkgDir.length + 1));
  return yamlCopy;
}

function writeStandin(dir: string, name: string, version: string): void {
  const source = readFileSync(join(standinDir(), 'kube', name), 'utf8')
    .replaceAll('__TOPKE_YAML_MODULE__', yamlModulePath())
    .replaceAll('__TOPKE_KUBE_VERSION__', version);
  writeFileSync(join(dir, 'bin', name), source, { mode: 0o755 });
}

/** An image archive ctr can name: an OCI layout whose index carries the image's name. */
async function writeImage(dir: string, ref: string): Promise<string> {
  const work = mkdtempSync(join(tmpdir(), 'topke-image-'));
  const index = {
    schemaVersion: 2,
    manifests: [
      {
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        digest: `sha256:${createHash('sha256').update(ref).digest('hex')}`,
        size: 0,
        annotations: { 'io.containerd.image.name': ref },
      },
    ],
  };
  writeFileSync(join(work, 'index.json'), JSON.stringify(index));
  writeFileSync(join(work, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  const file = `${ref.replace(/^.*\//, '').replace(/[:@]/g, '_')}.tar`;
  await create({ file: join(dir, 'images', file), cwd: work, portable: true }, [
    'index.json',
    'oci-layout',
  ]);
  rmSync(work, { recursive: true, force: true });
  return `images/${file}`;
}

function describeFile(dir: string, path: string): ManifestFile {
  const full = join(dir, path);
  const content = readFileSync(full);
  const mode = (statSync(full).mode & 0o777).toString(8).padStart(4, '0');
  return {
    path,
    sha256: createHash('sha256').update(content).digest('hex'),
    size: content.length,
    mode,
  };
}

/** Makes a bundle folder and .tar.gz from the stand-ins. Call remove() when done. */
export async function buildTestBundle(options: TestBundleOptions = {}): Promise<TestBundle> {
  const version = options.version ?? 'v1.30.2';
  const images = options.images ?? ['registry.k8s.io/pause:3.9', 'docker.io/calico/node:v3.27.3'];
  const base = mkdtempSync(join(tmpdir(), 'topke-bundle-'));
  const dir = join(base, `topke-bundle-${version}`);
  for (const sub of ['bin', 'images', 'manifests']) mkdirSync(join(dir, sub), { recursive: true });

  for (const name of KUBE_BINARIES) writeStandin(dir, name, version);
  writeFileSync(join(dir, 'manifests', 'calico.yaml'), CALICO, { mode: 0o644 });
  const paths = [...KUBE_BINARIES.map((b) => `bin/${b}`), 'manifests/calico.yaml'];
  for (const ref of images) paths.push(await writeImage(dir, ref));

  const manifest = {
    kubernetes_version: version,
    arch: options.arch ?? 'amd64',
    components: { containerd: 'v1.7.20', calico: 'v3.27.3', pause: '3.9' },
    files: paths.map((p) => describeFile(dir, p)),
  };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  const archive = join(base, `topke-bundle-${version}.tar.gz`);
  await create({ gzip: true, file: archive, cwd: dirname(dir), portable: true }, [
    `topke-bundle-${version}`,
  ]);
  return {
    dir,
    archive,
    version,
    manifest,
    remove: () => rmSync(base, { recursive: true, force: true }),
  };
}
