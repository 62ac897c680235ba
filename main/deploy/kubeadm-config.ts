import { stringify } from 'yaml';

/** The values of a kubeadm configuration, taken from the deploy request. */
export interface KubeadmSettings {
  clusterName: string;
  kubernetesVersion: string;
  controlPlaneEndpoint: string;
  podCidr: string;
  serviceCidr: string;
  proxyMode: 'iptables' | 'ipvs';
  imageRepository: string | null;
  certSANs: string[];
  maxPods: number;
  master: { ip: string; nodeName: string };
}

export const CRI_SOCKET = 'unix:///run/containerd/containerd.sock';
export const DNS_DOMAIN = 'cluster.local';

/** kubeadm's config API: v1beta4 from Kubernetes 1.31 on, v1beta3 before. */
export function kubeadmApiVersion(kubernetesVersion: string): string {
  const minor = Number(/^v?\d+\.(\d+)/.exec(kubernetesVersion)?.[1] ?? 0);
  return minor >= 31 ? 'kubeadm.k8s.io/v1beta4' : 'kubeadm.k8s.io/v1beta3';
}

/** Pods per node by the request's cluster_node_scale. */
export function maxPodsFor(scale: string): number {
  return { small: 64, medium: 110, large: 160, xlarge: 250 }[scale] ?? 110;
}

function initConfiguration(
  s: KubeadmSettings,
  apiVersion: string,
  certificateKey?: string,
): object {
  return {
    apiVersion,
    kind: 'InitConfiguration',
    ...(certificateKey ? { certificateKey } : {}),
    localAPIEndpoint: { advertiseAddress: s.master.ip, bindPort: 6443 },
    nodeRegistration: { name: s.master.nodeName, criSocket: CRI_SOCKET },
  };
}

function clusterConfiguration(s: KubeadmSettings, apiVersion: string): object {
  return {
    apiVersion,
    kind: 'ClusterConfiguration',
    clusterName: s.clusterName,
    kubernetesVersion: s.kubernetesVersion,
    controlPlaneEndpoint: s.controlPlaneEndpoint,
    networking: { podSubnet: s.podCidr, serviceSubnet: s.serviceCidr, dnsDomain: DNS_DOMAIN },
    ...(s.imageRepository ? { imageRepository: s.imageRepository } : {}),
    apiServer: { certSANs: s.certSANs },
  };
}

/** The multi-document configuration for `kubeadm init --config`. Without `certificateKey` it is
 * safe to show and store; with it, it only goes to the first master. */
export function renderKubeadmConfig(s: KubeadmSettings, certificateKey?: string): string {
  const apiVersion = kubeadmApiVersion(s.kubernetesVersion);
  const docs = [
    initConfiguration(s, apiVersion, certificateKey),
    clusterConfiguration(s, apiVersion),
    {
      apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
      kind: 'KubeProxyConfiguration',
      mode: s.proxyMode,
    },
    {
      apiVersion: 'kubelet.config.k8s.io/v1beta1',
      kind: 'KubeletConfiguration',
      cgroupDriver: 'systemd',
      maxPods: s.maxPods,
    },
  ];
  return docs.map((d) => stringify(d)).join('---\n');
}
