import type { Bundle } from '../bundle/open.js';
import type { DeployHost, StoredCredentials } from './hosts.js';
import type { KubeadmSettings } from './kubeadm-config.js';
import type { KubeVipSettings } from './kube-vip.js';
import type { Redactor } from './redact.js';
import type { PrivateRegistry, RegistryView } from './registry.js';
import type { DeployKind } from './store.js';

/** The cluster as stored in the `settings` column: the request without secrets, plus what the
 * deploy derived from it. Read back by deploy status and node create. */
export interface ClusterSettings {
  name: string;
  desc: string;
  tenant_uuid: string;
  cluster_node_scale: string;
  KubernetesVersion: string;
  PodCidr: string;
  ServicePodCidr: string;
  ServiceDnsDomain: string;
  ControlPlaneConfig: {
    KubeProxyConfig: { Mode: 'iptables' | 'ipvs' };
    HAConfig: { vip: string; port: number } | null;
  };
  /** The private registry as the request gave it, password left out. */
  RegistryConfig: { RegistryAddress: string; Project: string; User: string } | null;
  use_managed_registry_project: { registry_uuid: string; project_name: string } | null;
  /** The registry the nodes pull from (RegistryConfig's, or the managed one's), as deploy status
   * shows it; no password. Absent from records written before it was kept. */
  registry_used?: RegistryView | null;
  max_not_failure_worker_node_num: number | null;
  control_plane_endpoint: string;
  /** The kubeadm configuration used, without the certificate key. */
  kubeadm_config: string;
  network_plugin: { type: 'calico'; version: string };
  bundle: { path: string; id: string; arch: string; kubernetes_version: string };
}

/** Everything a deploy or a node addition needs, checked before anything starts. */
export interface DeployPlan {
  kind: DeployKind;
  clusterUuid: string;
  deployId: string;
  settings: ClusterSettings;
  /** For a deploy; node create leaves the control plane alone. */
  kubeadm: KubeadmSettings | null;
  masters: DeployHost[];
  /** The workers to set up (for node create: only the new ones). */
  workers: DeployHost[];
  /** Hosts prepared in the first stage: all of them for a deploy, the new workers for node create. */
  newHosts: DeployHost[];
  bundle: Bundle;
  registry: PrivateRegistry | null;
  /** For a deploy with HAConfig: the VIP every master's kube-vip announces. */
  kubeVip: KubeVipSettings | null;
  certificateKey: string;
  maxFailedWorkers: number;
  credentials: StoredCredentials;
  redact: Redactor;
}
