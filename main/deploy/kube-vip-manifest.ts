import { stringify } from 'yaml';
import type { BundleManifest } from '../bundle/manifest.js';
import { imageRepository, type PrivateRegistry } from './registry.js';

export const KUBE_VIP_MANIFEST = '/etc/kubernetes/manifests/kube-vip.yaml';
/** Where the API servers listen on every master; the VIP's port forwards to it. */
export const API_SERVER_PORT = 6443;
const UPSTREAM = 'ghcr.io/kube-vip/kube-vip';

/** What a master's kube-vip static pod is made of. */
export interface KubeVipPod {
  vip: string;
  /** HAConfig.port: where the VIP answers (never 6443, which the API servers hold). */
  port: number;
  /** The interface that carries the master's own address; the VIP is announced on it. */
  interface: string;
  image: string;
  nodeName: string;
  /** The kubeconfig kube-vip talks to the API server with (a file in /etc/kubernetes). */
  kubeconfig: 'admin.conf' | 'super-admin.conf';
}

/** kube-vip's image: the bundle's images["kube-vip"] (or components["kube-vip"] as the upstream
 * image's tag), moved into the private registry's repository when there is one, as kubeadm does
 * with the control-plane images. Null when the bundle names none. */
export function kubeVipImage(
  manifest: BundleManifest,
  registry: PrivateRegistry | null,
): string | null {
  const version = manifest.components['kube-vip'];
  const ref = manifest.images['kube-vip'] ?? (version ? `${UPSTREAM}:${version}` : null);
  if (!ref) return null;
  return registry ? `${imageRepository(registry)}/${ref.slice(ref.lastIndexOf('/') + 1)}` : ref;
}

/** From Kubernetes 1.29 kubeadm's admin.conf gets its rights only once `kubeadm init` has
 * created them, so the first master's kube-vip (which must hold the VIP during init) uses
 * super-admin.conf, as kube-vip's documentation says; other masters join after init. */
export function kubeVipKubeconfig(
  kubernetesVersion: string,
  initializing: boolean,
): KubeVipPod['kubeconfig'] {
  const minor = Number(/^v?1\.(\d+)\./.exec(kubernetesVersion)?.[1] ?? 0);
  return initializing && minor >= 29 ? 'super-admin.conf' : 'admin.conf';
}

/** kube-vip renamed vip_cidr to vip_subnet in v0.9.0. */
function subnetVariable(image: string): string {
  const m = /:v?(\d+)\.(\d+)[^:/]*$/.exec(image.replace(/@sha256:[0-9a-f]+$/, ''));
  const old = m !== null && Number(m[1]) === 0 && Number(m[2]) < 9;
  return old ? 'vip_cidr' : 'vip_subnet';
}

function environment(pod: KubeVipPod): { name: string; value: string }[] {
  const env: Record<string, string> = {
    vip_arp: 'true',
    vip_interface: pod.interface,
    [subnetVariable(pod.image)]: '32',
    address: pod.vip,
    port: String(API_SERVER_PORT),
    vip_nodename: pod.nodeName,
    cp_enable: 'true',
    cp_namespace: 'kube-system',
    svc_enable: 'false',
    vip_leaderelection: 'true',
    vip_leasename: 'plndr-cp-lock',
    vip_leaseduration: '5',
    vip_renewdeadline: '3',
    vip_retryperiod: '1',
    // The VIP's port differs from the API servers' 6443: kube-vip's IPVS load balancer listens
    // on it and forwards to every master's 6443. Only NAT (masquerade) can change the port.
    lb_enable: 'true',
    lb_port: String(pod.port),
    lb_fwdmethod: 'masquerade',
  };
  return Object.entries(env).map(([name, value]) => ({ name, value }));
}

/** The static pod manifest of kube-vip in ARP mode with control-plane load balancing. */
export function renderKubeVipManifest(pod: KubeVipPod): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'kube-vip',
      namespace: 'kube-system',
      labels: { 'app.kubernetes.io/name': 'kube-vip', 'app.kubernetes.io/managed-by': 'topke' },
    },
    spec: {
      hostNetwork: true,
      // kube-vip reaches the local API server as "kubernetes:6443", a name in its certificate.
      hostAliases: [{ ip: '127.0.0.1', hostnames: ['kubernetes'] }],
      priorityClassName: 'system-node-critical',
      priority: 2000001000,
      containers: [
        {
          name: 'kube-vip',
          image: pod.image,
          imagePullPolicy: 'IfNotPresent',
          args: ['manager'],
          env: environment(pod),
          // IPVS with masquerade sets sysctls and iptables rules of the host.
          securityContext: { privileged: true },
          volumeMounts: [
            { name: 'kubeconfig', mountPath: '/etc/kubernetes/admin.conf', readOnly: true },
          ],
        },
      ],
      volumes: [
        {
          name: 'kubeconfig',
          // "File": a missing kubeconfig keeps the pod waiting instead of becoming a directory.
          hostPath: { path: `/etc/kubernetes/${pod.kubeconfig}`, type: 'File' },
        },
      ],
    },
  });
}
