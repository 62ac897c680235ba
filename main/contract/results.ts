/** Response shapes, named and spelled as in the spec's examples (oddities included). */
import type { CheckResult, FixAction } from '../preflight/types.js';

export interface HostFacts {
  arch?: string;
  os?: string;
  os_version?: string;
  kernel?: string;
  disk_free_bytes?: number;
  container_runtime?: string | null;
  kubelet?: string | null;
  clock?: number;
  /** The folder whose free space `disk_free_bytes` measures (the nearest existing parent). */
  disk_path?: string;
  /** The host's clock minus the laptop's, in ms. */
  clock_skew_ms?: number;
  /** Active swap, in bytes. */
  swap_bytes?: number;
  /** Not in the spec: the SSH host key the scan saw (recorded on first contact). */
  host_key?: HostKeySeen;
}

export interface HostInfo {
  ip: string;
  host_name: string;
  version: string;
  host_info: {
    CpuInfo: { Cores: number };
    VirtualMemoryInfo: { Total: number };
  };
  /** Not in the spec: how the host answered. */
  alive: boolean;
  ssh: {
    port: number;
    /** open: an SSH server (with its banner); silent: accepts TCP but never speaks (a tarpit);
     * unreachable: no host answered at the link layer. */
    state: 'open' | 'refused' | 'filtered' | 'not_ssh' | 'silent' | 'unreachable' | 'unknown';
    banner?: string;
  };
  login?: { ok: boolean; error?: string; error_cn?: string; code?: string };
  facts?: HostFacts;
}

export type ScanState = 'running' | 'done' | 'cancelled' | 'interrupted' | 'failed';

export interface HostScanResult {
  hosts_info: HostInfo[];
  total_count: number;
  scan_uuid: string;
  scanned: number;
  /** Not in the spec: how many addresses the scan covers, and where it stands. */
  addresses: number;
  state: ScanState;
  /** Not in the spec: of `scanned`, the addresses that could not be probed (each time they were
   * tried the kernel's neighbour table was full and no packet went out): neither found nor absent,
   * and named in `warnings`. */
  unprobed: number;
  /** Not in the spec: addresses probed again because the neighbour table was full at first. */
  retried: number;
  warnings: Notice[];
}

export interface DeployResult {
  uuid: string;
}

export interface StageView {
  name: string;
  name_cn: string;
  start_time: number;
  end_time: number;
  success: boolean;
  error: string | null;
  /** Extension: `error` in Chinese (`error` itself for a record written before it existed). */
  error_cn: string | null;
  is_finish: boolean;
}

export type DeployState = 'pending' | 'running' | 'success' | 'failed';

export interface HostStatus {
  time: number;
  addr: string;
  /** The spec's uninitialized or deploying while the host waits or is worked on; once the deploy
   * is over, where it ended: deployed, failed, stopped or not_reached (main/deploy/stages.ts). */
  message: string;
  /** Not in the spec: the last step the host ran (a failed host's failed step), "" for none. */
  step: string;
  step_cn: string;
}

export interface StepView {
  stage: number;
  host: string;
  step: string;
  state: 'running' | 'ok' | 'failed' | 'skipped';
  start_time: number;
  end_time: number;
  /** The host's output, as it printed it. */
  output: string;
  /** The step's name in Chinese (`step` is its id). */
  step_cn: string;
  /** Why a failed step failed, in English and Chinese; null otherwise. */
  error: string | null;
  error_cn: string | null;
}

export interface NodeView {
  IP: string;
  NodeName: string;
  Priority: number;
}

/** A plugin block of the spec's ControlPlaneConfig for a plugin this product does not install
 * (monitor, kubectl, registry distribute, storage, namespace controller): the spec's empty form. */
export interface UnusedPluginConfig {
  ContainerRegistry: null;
}

type EmptyStruct = Record<string, never>;

export interface DeployStatusResult {
  DeployStage: {
    Name: string;
    Stages: StageView[];
    CurrentStage: number;
    State: DeployState;
  };
  /** The registry the nodes pull from (RegistryConfig's, or the managed one's); all "" for none. */
  RegistryConfig: {
    RegistryAddress: string;
    Project: string;
    User: string;
    Password: string;
    TlsConfig: null;
  };
  KubernetesVersion: string;
  ServicePodCidr: string;
  ServiceDnsDomain: string;
  ControlPlaneConfig: {
    ConfigYaml: string;
    NetworkPluginConfig: {
      PluginType: string;
      ContainerRegistry: null;
      CalicoConfig: { Version: string };
    };
    HAConfig: { vip: string; port: number } | null;
    MonitorPluginConfig: UnusedPluginConfig;
    KubectlPluginConfig: UnusedPluginConfig;
    RegistryDistributePluginConfig: UnusedPluginConfig;
    KubeProxyConfig: { Mode: string };
    StoragePluginConfig: UnusedPluginConfig & {
      LocalStorage: EmptyStruct;
      NfsStoragePluginConfig: EmptyStruct;
      TopkeStoragePluginConfig: EmptyStruct;
      CephStoragePluginConfig: EmptyStruct;
    };
    NamespaceControllerPluginConfig: UnusedPluginConfig;
  };
  WorkerConfig: null;
  OwnerInfo: { ClusterUUID: string; ClusterName: string; ExtraMessage: string };
  NodeConfig: null;
  EtcdDatabaseBackupPolicy: null;
  PodCidr: string;
  DataBaseConfig: null;
  tenant_uuid: string;
  uuid: string;
  deploy_id: string;
  master_list: NodeView[];
  node_list: NodeView[];
  name: string;
  desc: string;
  creat_time: number;
  is_over: boolean;
  err_info: string;
  /** Extension: `err_info` in Chinese (`err_info` itself for a record written before it existed). */
  err_info_cn: string;
  total_status: HostStatus[];
  /** As the request gave it; both "" when it named none. */
  use_managed_registry_project: { registry_uuid: string; project_name: string };
  max_not_failure_worker_node_num: number | null;
  cluster_node_scale: string;
  /** Not in the spec: every step run so far, per host, with its output. */
  steps: StepView[];
  /** Not in the spec: hosts of this deploy whose SSH key differs from the recorded one and is not
   * accepted yet (accept with knownHostAccept, giving the fingerprint shown here). */
  host_key_changes?: HostKeyChange[];
}

/** Not in the spec: one deploy of a cluster as deploy/list shows it. A cluster has one per
 * deploy request (the first, and each run again after a failure) and per node create. */
export interface DeploySummary {
  /** The deploy's own id: deploy status inspect takes it as `deploy_id`. */
  deploy_id: string;
  /** The cluster's uuid. */
  uuid: string;
  kind: 'deploy' | 'node_create';
  state: DeployState;
  is_over: boolean;
  /** Seconds since the epoch; end_time is 0 while it runs. */
  start_time: number;
  end_time: number;
  current_stage: number;
  err_info: string;
  /** `err_info` in Chinese (`err_info` itself for a record written before it existed). */
  err_info_cn: string;
  stages: StageView[];
  /** The hosts this deploy worked on (for a node create, the new workers). */
  hosts: {
    addr: string;
    role: 'master' | 'worker';
    message: string;
    step: string;
    step_cn: string;
  }[];
}

export interface DeployListResult {
  total_count: number;
  list: DeploySummary[];
}

export interface KubeVersion {
  major: string;
  minor: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
}

export interface RestConfig {
  Host: string;
  APIPath: string;
  Username: string;
  Password: string;
  BearerToken: string;
  BearerTokenFile: string;
  TlsClientConfig: {
    Insecure: boolean;
    ServerName: string;
    CertFile: string;
    KeyFile: string;
    CAFile: string;
    CertData: string;
    KeyData: string;
    CAData: string;
    NextProtos: null;
  };
}

export interface ClusterView {
  uuid: string;
  name: string;
  config: RestConfig;
  desc: string;
  is_stop: boolean;
  attr: null;
  create_time: number;
  update_time: number;
  state: string;
  state_desc: string;
  is_managed: boolean;
  tenant_uuid: string;
  tenant_name: string;
  /** Every field "" while the version is not known. */
  kube_version: KubeVersion;
  is_high_available: boolean;
  kube_config_data: string;
  cluster_node_scale: string;
  PodCidr: string;
  ServicePodCidr: string;
  /** Not in the spec. */
  source: 'deployed' | 'imported';
  node_count: number;
  nodes: { ip: string; name: string; role: 'master' | 'worker'; state: string }[];
  cert_expiry: number | null;
}

export interface ClusterListResult {
  total_count: number;
  list: ClusterView[];
}

export interface ClusterGetResult {
  total_count: number;
  list: ClusterView[];
}

export interface ClusterAddResult {
  TotalCount: number;
  Infos: {
    UUID: string;
    Name: string;
    Config: RestConfig;
    Desc: string;
    IsStop: boolean;
    Attr: null;
    CTime: number;
    MTime: number;
    State: string;
    state_desc: string;
    is_managed: boolean;
    /** Not in the spec: the kubeconfig context it came from, and what the engineer should know
     * (certificate checks turned off, the server unreachable when saved). */
    context: string;
    warnings: Notice[];
  }[];
}

/** A sentence for the engineer, in both languages. */
export interface Notice {
  message: string;
  message_cn: string;
}

/** One problem of a kubeconfig entry: the field (clusters["prod"].cluster.server) and why. */
export interface FieldProblem extends Notice {
  field: string;
}

export type KubeconfigAuthKind =
  'client-certificate' | 'token' | 'basic' | 'exec' | 'auth-provider' | 'none';

/** Not in the spec: the exec credential plugin a kubeconfig user runs on this machine, shown so
 * that the engineer can allow exactly it (cluster add's `allow_exec`). */
export interface ExecPluginView {
  command: string;
  /** Where the command was found on this machine; null when it was not. */
  path: string | null;
  /** The value of a flag whose name looks secret is "(hidden)". */
  args: string[];
  /** Values of names that look secret are null (hidden). */
  env: { name: string; value: string | null }[];
  /** All of it as a shell would read it, environment first: what the engineer is asked to allow. */
  command_line: string;
  /** "SHA256:..." of the command, args and env (values included): what allow_exec names. */
  fingerprint: string;
}

/** Not in the spec: one context of a kubeconfig, as inspection shows it before import. */
export interface KubeconfigContextView {
  name: string;
  cluster: string;
  user: string;
  namespace: string;
  server: string;
  auth: KubeconfigAuthKind;
  /** The user's exec credential plugin, or null. */
  exec: ExecPluginView | null;
  insecure: boolean;
  tls_server_name: string;
  proxy_url: string;
  current: boolean;
  valid: boolean;
  problems: FieldProblem[];
  /** The earliest expiry of its CA and client certificates, seconds since the epoch. */
  cert_expiry: number | null;
  /** With `probe`: whether /version answered, what it said, or why not. */
  probe?: { reachable: boolean; version: string; error: FieldProblem | null };
}

export interface KubeconfigInspectResult {
  /** How kube_config_data arrived: base64 (the spec's form) or plain YAML. */
  encoding: 'base64' | 'yaml';
  charset: 'utf-8' | 'utf-16le' | 'utf-16be';
  had_bom: boolean;
  current_context: string;
  contexts: KubeconfigContextView[];
  /** What cluster add imports when `contexts` is not given. */
  default_contexts: string[];
  warnings: Notice[];
}

/** Not in the spec: a cluster's stored kubeconfig, in clear, for an explicit download. */
export interface KubeconfigDownloadResult {
  uuid: string;
  name: string;
  file_name: string;
  kube_config_data: string;
}

export interface TenantView {
  uuid: string;
  name: string;
  create_time: number;
  cluster_count: number;
}

export interface TenantListResult {
  total_count: number;
  list: TenantView[];
}

export interface DeployPurgeResult {
  purged: number;
  deploy_ids: string[];
}

export interface ResultItem {
  code: number;
  message: string;
  messageCn: string;
  stack: null;
  desc: string;
  UUID: string;
  message_cn: string;
  data: string;
  scode: number;
}

/** Not in the spec: what became of one node of a cluster in registry distribute. */
export interface RegistryNodeResult {
  ip: string;
  node_name: string;
  ok: boolean;
  /** A file was written or the trust store rebuilt (false: the CA was in place already). */
  changed: boolean;
  /** Why the node did not get the certificate; "" when it did. */
  message: string;
  message_cn: string;
}

/** The spec's per-cluster result, with (extension) each node's outcome; `nodes` is empty when
 * the cluster's nodes could not be listed. */
export interface RegistryDistributeItem extends ResultItem {
  nodes: RegistryNodeResult[];
}

export interface RegistryDistributeResult {
  total: number;
  success: number;
  fail: number;
  results: RegistryDistributeItem[];
}

/** Not in the spec: a managed registry. Its password never leaves the service, only whether
 * there is one; the CA certificate is public and comes with what it says about itself. */
export interface RegistryView {
  registry_uuid: string;
  address: string;
  project: string;
  user: string;
  has_password: boolean;
  ca_cert: string;
  ca: RegistryCaView | null;
  create_time: number;
  /** Clusters whose settings name this registry. */
  cluster_count: number;
}

export interface RegistryCaView {
  subject: string;
  issuer: string;
  /** Seconds since the epoch. */
  not_before: number;
  not_after: number;
  fingerprint_sha256: string;
}

export interface RegistryListResult {
  total_count: number;
  list: RegistryView[];
}

/** Not in the spec: preflight, per host and per check. `ok` is false when any check failed. */
export interface PreflightResult {
  ok: boolean;
  failed: number;
  warned: number;
  results: CheckResult[];
}

/** Not in the spec: what the fix action changed, and the checks run again afterwards. */
export interface PreflightFixResult extends PreflightResult {
  applied: FixAction[];
}

/** Not in the spec: the SSH host key a host presented, as OpenSSH prints it ("SHA256:..."). When
 * it differs from the recorded key, `known_*` name the recorded one and nothing was done there. */
export interface HostKeySeen {
  key_type: string;
  fingerprint: string;
  /** This contact recorded the key (trust on first use). */
  first_contact?: boolean;
  known_key_type?: string;
  known_fingerprint?: string;
}

/** Not in the spec: a host whose key is not the recorded one. */
export interface HostKeyChange {
  host: string;
  port: number;
  key_type: string;
  fingerprint: string;
  known_key_type: string;
  known_fingerprint: string;
  /** When this process last saw the different key, in Unix seconds. */
  seen_at: number;
}

/** Not in the spec: a recorded SSH host key, and a different key seen since and not accepted. */
export interface KnownHostView {
  host: string;
  port: number;
  key_type: string;
  fingerprint: string;
  /** When the key was recorded (first contact, or accepted), in Unix seconds. */
  first_seen: number;
  changed: { key_type: string; fingerprint: string; seen_at: number } | null;
}

export interface KnownHostListResult {
  total_count: number;
  list: KnownHostView[];
}

/** Not in the spec: the `details` of a host_key_changed error (in the envelope's `error` and over
 * the IPC bridge): which host, and the new (`fingerprint`) and recorded (`knownFingerprint`) keys. */
export interface HostKeyChangedDetails {
  kind: 'host_key_changed';
  host: string;
  port: number;
  user: string;
  hostKey: {
    keyType: string;
    fingerprint: string;
    expected?: string;
    knownKeyType?: string;
    knownFingerprint?: string;
  };
}
