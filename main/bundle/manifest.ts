import { z } from 'zod';
import { bi } from '../contract/validate.js';

/** A path inside the bundle: relative, forward slashes, no "." or ".." segments. */
const bundlePath = z
  .string()
  .min(1)
  .max(1024)
  .refine(
    (p) =>
      !p.startsWith('/') &&
      !p.includes('\\') &&
      !p.includes('\0') &&
      p.split('/').every((s) => s !== '' && s !== '.' && s !== '..'),
    bi('must be a relative path inside the bundle', '必须是安装包内的相对路径'),
  );

/** File modes arrive as octal text ("0755") or as a number (493); both become a number. */
const fileMode = z.union([
  z
    .string()
    .regex(
      /^0?[0-7]{3,4}$/,
      bi('must be an octal mode such as "0755"', '应为八进制权限，例如 "0755"'),
    )
    .transform((m) => parseInt(m, 8)),
  z.number().int().min(0).max(0o7777),
]);

/** An image reference: [registry/]path[:tag][@sha256:digest], no spaces. */
const imageReference = z
  .string()
  .regex(
    /^[a-z0-9]([a-z0-9._:/-]*[a-z0-9])?(:[\w][\w.-]{0,127})?(@sha256:[0-9a-f]{64})?$/,
    bi(
      'must be an image reference such as ghcr.io/kube-vip/kube-vip:v0.8.9',
      '应为镜像地址，例如 ghcr.io/kube-vip/kube-vip:v0.8.9',
    ),
  );

export const BundleFile = z.object({
  path: bundlePath,
  sha256: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, bi('must be 64 hex digits', '应为 64 位十六进制数'))
    .transform((s) => s.toLowerCase()),
  size: z.number().int().min(0),
  mode: fileMode.default(0o644),
});
export type BundleFile = z.output<typeof BundleFile>;

export const BundleManifest = z.object({
  kubernetes_version: z
    .string()
    .trim()
    .regex(/^v?\d+\.\d+\.\d+$/, bi('must be a version such as v1.30.2', '应为版本号，例如 v1.30.2'))
    .transform((v) => (v.startsWith('v') ? v : `v${v}`)),
  arch: z.enum(['amd64', 'arm64']),
  /** Component versions (containerd, calico, pause, ...), shown to the engineer. */
  components: z.record(z.string(), z.string()).default({}),
  /** Images the deploy names itself, by role (e.g. "kube-vip" for an HA control plane), as
   * references such as "ghcr.io/kube-vip/kube-vip:v0.8.9"; their archives are in images/. */
  images: z.record(z.string(), imageReference).default({}),
  files: z.array(BundleFile).min(1),
});
export type BundleManifest = z.output<typeof BundleManifest>;

/** What every bundle must carry to install a node. */
export const REQUIRED_FILES = [
  'bin/kubeadm',
  'bin/kubelet',
  'bin/kubectl',
  'bin/containerd',
  'bin/ctr',
  'bin/runc',
  'manifests/calico.yaml',
] as const;
