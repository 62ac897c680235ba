import { notFound, TopkeError } from '../contract/errors.js';
import type {
  DeployState,
  DeployStatusResult,
  HostStatus,
  StageView,
  StepView,
  UnusedPluginConfig,
} from '../contract/results.js';
import type { Db } from '../store/db.js';
import type { DeploySnapshot } from './snapshot.js';
import { stepNameCn } from './step-names.js';

interface DeployRow {
  id: string;
  cluster_uuid: string;
  request: string;
  state: DeployState;
  current_stage: number;
  is_over: number;
  err_info: string;
  /** NULL in a record written before the Chinese text was kept. */
  err_info_cn: string | null;
  created_at: number;
}

interface StageRow {
  name: string;
  name_cn: string;
  start_time: number;
  end_time: number;
  success: number;
  error: string | null;
  error_cn: string | null;
  is_finish: number;
}

const DEPLOY_COLUMNS =
  'id, cluster_uuid, request, state, current_stage, is_over, err_info, err_info_cn, created_at';

type StepRow = Omit<StepView, 'step_cn'>;

/** The latest deploy of a cluster (or the deploy with that id). */
function latestDeploy(db: Db, uuid: string): DeployRow {
  const row = db
    .prepare(
      `SELECT ${DEPLOY_COLUMNS} FROM deploys
       WHERE cluster_uuid = ? OR id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1`,
    )
    .get(uuid, uuid) as DeployRow | undefined;
  if (!row) throw notFound('deploy of cluster', '集群部署', uuid);
  return row;
}

/** One deploy of a cluster, picked from its list (deploy/list); another cluster's is not found. */
function chosenDeploy(db: Db, uuid: string, deployId: string): DeployRow {
  const row = db
    .prepare(`SELECT ${DEPLOY_COLUMNS} FROM deploys WHERE id = ? AND cluster_uuid = ?`)
    .get(deployId, uuid) as DeployRow | undefined;
  if (!row)
    throw new TopkeError({
      code: 'not_found',
      field: 'deploy_id',
      message: `deploy_id: cluster ${uuid} has no deploy ${deployId}`,
      messageCn: `deploy_id：集群 ${uuid} 没有部署记录 ${deployId}`,
    });
  return row;
}

/** A deploy's four stages, in order. */
export function stagesOf(db: Db, id: string): StageView[] {
  const rows = db
    .prepare(
      `SELECT name, name_cn, start_time, end_time, success, error, error_cn, is_finish
       FROM deploy_stages WHERE deploy_id = ? ORDER BY idx`,
    )
    .all(id) as StageRow[];
  return rows.map((s) => ({
    ...s,
    success: s.success === 1,
    error_cn: s.error_cn ?? s.error,
    is_finish: s.is_finish === 1,
  }));
}

/** Each host of a deploy with its message and the last step it ran ("" when none did): a failed
 * host's is the step that failed, a stopped host's the one it stopped after. */
export function hostsOf(db: Db, id: string): (HostStatus & { role: 'master' | 'worker' })[] {
  const rows = db
    .prepare(
      `SELECT time, addr, role, message, COALESCE((SELECT step FROM deploy_steps s
         WHERE s.deploy_id = h.deploy_id AND s.host = h.addr ORDER BY s.id DESC LIMIT 1), '') AS step
       FROM deploy_hosts h WHERE deploy_id = ? ORDER BY rowid`,
    )
    .all(id) as (Omit<HostStatus, 'step_cn'> & { role: 'master' | 'worker' })[];
  return rows.map((h) => ({ ...h, step_cn: h.step && stepNameCn(h.step) }));
}

function stepsOf(db: Db, id: string): StepView[] {
  const rows = db
    .prepare(
      `SELECT stage, host, step, state, start_time, end_time, output, error, error_cn
       FROM deploy_steps WHERE deploy_id = ? ORDER BY id`,
    )
    .all(id) as StepRow[];
  return rows.map((s) => ({ ...s, step_cn: stepNameCn(s.step), error_cn: s.error_cn ?? s.error }));
}

const unused = (): UnusedPluginConfig => ({ ContainerRegistry: null });

/** In the spec's order. The plugins this product does not install have their empty blocks,
 * whatever the request said of them (it accepts them and does not act on them). */
function controlPlaneConfig(s: Partial<DeploySnapshot>): DeployStatusResult['ControlPlaneConfig'] {
  return {
    ConfigYaml: s.kubeadm_config ?? '',
    NetworkPluginConfig: {
      PluginType: s.network_plugin?.type ?? 'calico',
      ContainerRegistry: null,
      CalicoConfig: { Version: s.network_plugin?.version ?? '' },
    },
    HAConfig: s.ControlPlaneConfig?.HAConfig ?? null,
    MonitorPluginConfig: unused(),
    KubectlPluginConfig: unused(),
    RegistryDistributePluginConfig: unused(),
    KubeProxyConfig: s.ControlPlaneConfig?.KubeProxyConfig ?? { Mode: 'iptables' },
    StoragePluginConfig: {
      ...unused(),
      LocalStorage: {},
      NfsStoragePluginConfig: {},
      TopkeStoragePluginConfig: {},
      CephStoragePluginConfig: {},
    },
    NamespaceControllerPluginConfig: unused(),
  };
}

const NO_REGISTRY = { RegistryAddress: '', Project: '', User: '' };

/** The registry the nodes pull from; a record older than registry_used has the request's. */
function registryConfig(s: Partial<DeploySnapshot>): DeployStatusResult['RegistryConfig'] {
  const used = s.registry_used !== undefined ? s.registry_used : s.RegistryConfig;
  const { RegistryAddress, Project, User } = used ?? NO_REGISTRY;
  return { RegistryAddress, Project, User, Password: '', TlsConfig: null };
}

/** The stored snapshot, read defensively: a record written by an older version may lack fields. */
function snapshotOf(request: string): Partial<DeploySnapshot> {
  try {
    const parsed = JSON.parse(request) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as Partial<DeploySnapshot>) : {};
  } catch {
    return {};
  }
}

/** Deploy status inspect, read from SQLite only, in the spec's shape (plus every step): the
 * cluster's latest deploy, or the one `deployId` names. */
export function readDeployStatus(db: Db, uuid: string, deployId?: string): DeployStatusResult {
  const d = deployId ? chosenDeploy(db, uuid, deployId) : latestDeploy(db, uuid);
  const s = snapshotOf(d.request);
  const name = s.name ?? '';
  const nodes = (list: { IP: string; NodeName: string }[] | undefined) =>
    (list ?? []).map((n) => ({ ...n, Priority: 0 }));
  return {
    DeployStage: {
      Name: `topke_deploy_${name}`,
      Stages: stagesOf(db, d.id),
      CurrentStage: d.current_stage,
      State: d.state,
    },
    RegistryConfig: registryConfig(s),
    KubernetesVersion: s.KubernetesVersion ?? '',
    ServicePodCidr: s.ServicePodCidr ?? '',
    ServiceDnsDomain: s.ServiceDnsDomain ?? '',
    ControlPlaneConfig: controlPlaneConfig(s),
    WorkerConfig: null,
    OwnerInfo: { ClusterUUID: d.cluster_uuid, ClusterName: name, ExtraMessage: '' },
    NodeConfig: null,
    EtcdDatabaseBackupPolicy: null,
    PodCidr: s.PodCidr ?? '',
    DataBaseConfig: null,
    tenant_uuid: s.tenant_uuid ?? '',
    uuid: d.cluster_uuid,
    deploy_id: d.id,
    master_list: nodes(s.master_list),
    node_list: nodes(s.node_list),
    name,
    desc: s.desc ?? '',
    creat_time: d.created_at,
    is_over: d.is_over === 1,
    err_info: d.err_info,
    err_info_cn: d.err_info_cn ?? d.err_info,
    total_status: hostsOf(db, d.id).map(({ time, addr, message, step, step_cn }) => ({
      time,
      addr,
      message,
      step,
      step_cn,
    })),
    use_managed_registry_project: s.use_managed_registry_project ?? {
      registry_uuid: '',
      project_name: '',
    },
    max_not_failure_worker_node_num: s.max_not_failure_worker_node_num ?? null,
    cluster_node_scale: s.cluster_node_scale ?? '',
    steps: stepsOf(db, d.id),
  };
}
