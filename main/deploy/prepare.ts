import { randomBytes, randomUUID } from 'node:crypto';
import { findBundleFor } from '../bundle/find.js';
import { openBundle, type Bundle } from '../bundle/open.js';
import { invalidField } from '../contract/errors.js';
import type { DeployRequest } from '../contract/schemas.js';
import type { ServiceContext } from '../context.js';
import { requireTenant } from '../tenants/store.js';
import { chooseCluster, type ClusterChoice } from './cluster-claim.js';
import {
  checkUniqueHosts,
  credentialsOf,
  listHosts,
  targetSecrets,
  type DeployHost,
} from './hosts.js';
import { checkHostsUnowned, type HostList } from './host-owners.js';
import {
  DNS_DOMAIN,
  maxPodsFor,
  renderKubeadmConfig,
  type KubeadmSettings,
} from './kubeadm-config.js';
import type { ClusterSettings, DeployPlan } from './plan.js';
import { checkDeployNetworks } from './plan-checks.js';
import { createRedactor } from './redact.js';
import { kubeVipImage } from './kube-vip-manifest.js';
import type { KubeVipSettings } from './kube-vip.js';
import {
  imageRepository,
  registryView,
  resolveRegistry,
  type PrivateRegistry,
} from './registry.js';
import type { DeploySnapshot } from './snapshot.js';

function endpointOf(req: DeployRequest, firstMaster: DeployHost): string {
  const ha = req.ControlPlaneConfig.HAConfig;
  return ha ? `${ha.vip}:${ha.port}` : `${firstMaster.ip}:6443`;
}

function kubeadmSettings(
  req: DeployRequest,
  masters: DeployHost[],
  endpoint: string,
  repo: string | null,
): KubeadmSettings {
  const vip = req.ControlPlaneConfig.HAConfig?.vip;
  const sans = [
    ...(vip ? [vip] : []),
    ...masters.map((m) => m.ip),
    ...masters.map((m) => m.nodeName),
    '127.0.0.1',
    'localhost',
  ];
  return {
    clusterName: req.name,
    kubernetesVersion: req.KubernetesVersion,
    controlPlaneEndpoint: endpoint,
    podCidr: req.PodCidr,
    serviceCidr: req.ServicePodCidr,
    proxyMode: req.ControlPlaneConfig.KubeProxyConfig.Mode,
    imageRepository: repo,
    certSANs: [...new Set(sans)],
    maxPods: maxPodsFor(req.cluster_node_scale),
    master: { ip: masters[0]!.ip, nodeName: masters[0]!.nodeName },
  };
}

function settingsOf(
  req: DeployRequest,
  bundle: Bundle,
  kubeadm: KubeadmSettings,
  registry: PrivateRegistry | null,
): ClusterSettings {
  const reg = req.RegistryConfig;
  return {
    name: req.name,
    desc: req.desc,
    tenant_uuid: req.tenant_uuid,
    cluster_node_scale: req.cluster_node_scale,
    KubernetesVersion: req.KubernetesVersion,
    PodCidr: req.PodCidr,
    ServicePodCidr: req.ServicePodCidr,
    ServiceDnsDomain: DNS_DOMAIN,
    ControlPlaneConfig: {
      KubeProxyConfig: req.ControlPlaneConfig.KubeProxyConfig,
      HAConfig: req.ControlPlaneConfig.HAConfig ?? null,
    },
    RegistryConfig: reg
      ? { RegistryAddress: reg.RegistryAddress, Project: reg.Project, User: reg.User }
      : null,
    use_managed_registry_project: req.use_managed_registry_project ?? null,
    registry_used: registryView(registry),
    max_not_failure_worker_node_num: req.max_not_failure_worker_node_num ?? null,
    control_plane_endpoint: kubeadm.controlPlaneEndpoint,
    kubeadm_config: renderKubeadmConfig(kubeadm),
    network_plugin: { type: 'calico', version: bundle.manifest.components.calico ?? '' },
    bundle: {
      path: bundle.source,
      id: bundle.id,
      arch: bundle.manifest.arch,
      kubernetes_version: bundle.manifest.kubernetes_version,
    },
  };
}

/** The VIP of an HA deploy, with kube-vip's image from the bundle (in the private registry's
 * repository when there is one); a bundle that names no kube-vip image cannot make one. */
function kubeVipSettings(
  req: DeployRequest,
  bundle: Bundle,
  registry: PrivateRegistry | null,
): KubeVipSettings | null {
  const ha = req.ControlPlaneConfig.HAConfig;
  if (!ha) return null;
  const image = kubeVipImage(bundle.manifest, registry);
  if (!image)
    throw invalidField(
      'bundle_path',
      'names no kube-vip image (manifest.json images["kube-vip"]): a highly available control plane (HAConfig) needs kube-vip to answer on the VIP',
      '未包含 kube-vip 镜像（manifest.json 的 images["kube-vip"]）：高可用控制面（HAConfig）需要 kube-vip 提供 VIP',
    );
  return { vip: ha.vip, port: ha.port, image, kubernetesVersion: req.KubernetesVersion };
}

function checkVersion(req: DeployRequest, bundle: Bundle): void {
  if (bundle.manifest.kubernetes_version !== req.KubernetesVersion)
    throw invalidField(
      'KubernetesVersion',
      `${req.KubernetesVersion} does not match the offline bundle, which holds ${bundle.manifest.kubernetes_version}`,
      `${req.KubernetesVersion} 与离线安装包中的版本 ${bundle.manifest.kubernetes_version} 不一致`,
    );
}

/** A deploy's hosts by the request list that names them, for the checks that blame a field. */
export const deployHostLists = (req: DeployRequest): HostList[] => [
  { list: 'master_list', entries: req.master_list },
  { list: 'node_list', entries: req.node_list },
];

export const nodeList = (hosts: DeployHost[]) =>
  hosts.map((h) => ({ IP: h.ip, NodeName: h.nodeName }));

/** A deploy request that passed the checks made on it and the database alone. */
export interface CheckedDeploy {
  cluster: ClusterChoice;
  masters: DeployHost[];
  workers: DeployHost[];
  registry: PrivateRegistry | null;
}

/** The checks that need only the request and the database (tenant, logins, duplicate addresses
 * and names, networks and VIP, registry, the cluster's name): made before the bundle is looked
 * for and read, which can take long, so that the plan's own mistakes are named first. */
export function checkDeployRequest(ctx: ServiceContext, req: DeployRequest): CheckedDeploy {
  // The tenant must exist, as for import, list and get: a mistyped or stale tenant_uuid must not
  // quietly make a tenant named by that uuid.
  requireTenant(ctx.db, req.tenant_uuid);
  const masters = listHosts(req.master_list, 'master', req.ssh, 'master_list');
  const workers = listHosts(req.node_list, 'worker', req.ssh, 'node_list');
  checkUniqueHosts([...masters, ...workers]);
  checkDeployNetworks(req);
  const registry = resolveRegistry(
    ctx.db,
    ctx.secrets,
    req.RegistryConfig,
    req.use_managed_registry_project,
  );
  const cluster = chooseCluster(ctx.db, req.tenant_uuid, req.name);
  checkHostsUnowned(ctx.db, cluster.uuid, deployHostLists(req));
  return { cluster, masters, workers, registry };
}

/** Checks a deploy request against itself (hosts, networks, VIP), the database and the bundle
 * (verified here, before any host is touched), and turns it into a plan. */
export async function prepareDeploy(
  ctx: ServiceContext,
  req: DeployRequest,
): Promise<{ plan: DeployPlan; snapshot: DeploySnapshot; ownNodes: Set<string> }> {
  return planDeploy(ctx, req, checkDeployRequest(ctx, req));
}

/** Finds, reads and verifies the bundle of a checked request, and turns it into a plan. */
export async function planDeploy(
  ctx: ServiceContext,
  req: DeployRequest,
  checked: CheckedDeploy,
): Promise<{ plan: DeployPlan; snapshot: DeploySnapshot; ownNodes: Set<string> }> {
  const { masters, workers, registry } = checked;
  const { uuid, ownNodes } = checked.cluster;
  const bundlePath = req.bundle_path ?? (await findBundleFor(req.KubernetesVersion, ctx.dataDir));
  const bundle = await openBundle(bundlePath, ctx.dataDir);
  checkVersion(req, bundle);
  const kubeVip = kubeVipSettings(req, bundle, registry);

  const kubeadm = kubeadmSettings(
    req,
    masters,
    endpointOf(req, masters[0]!),
    registry ? imageRepository(registry) : null,
  );
  const settings = settingsOf(req, bundle, kubeadm, registry);
  const certificateKey = randomBytes(32).toString('hex');
  const secrets = [...targetSecrets([...masters, ...workers]), registry?.password, certificateKey];
  const plan: DeployPlan = {
    kind: 'deploy',
    clusterUuid: uuid,
    deployId: randomUUID(),
    settings,
    kubeadm,
    masters,
    workers,
    newHosts: [...masters, ...workers],
    bundle,
    registry,
    kubeVip,
    certificateKey,
    maxFailedWorkers: req.max_not_failure_worker_node_num ?? 0,
    credentials: credentialsOf(
      req.ssh,
      [...req.master_list, ...req.node_list],
      req.RegistryConfig?.Password,
    ),
    redact: createRedactor(secrets),
  };
  return {
    plan,
    snapshot: { ...settings, master_list: nodeList(masters), node_list: nodeList(workers) },
    ownNodes,
  };
}
