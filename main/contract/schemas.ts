import { z } from 'zod';
import { bi } from './validate.js';

import {
  CLUSTER_SORT_KEYS,
  DEFAULT_POD_CIDR,
  DEFAULT_SERVICE_CIDR,
  DEFAULT_TENANT_UUID,
  NODE_SCALES,
} from './defaults.js';

export {
  CLUSTER_SORT_KEYS,
  DEFAULT_POD_CIDR,
  DEFAULT_SERVICE_CIDR,
  DEFAULT_TENANT_UUID,
  NODE_SCALES,
} from './defaults.js';

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export const ipv4 = z
  .string({
    error: (issue) =>
      issue.input === undefined
        ? bi('is required', '为必填项')
        : bi('must be a string', '应为字符串'),
  })
  .trim()
  .regex(IPV4, bi('is not an IPv4 address', '不是有效的 IPv4 地址'));

export const cidrv4 = z
  .string()
  .trim()
  .refine(
    (v) => {
      const [addr, bits, extra] = v.split('/');
      return (
        extra === undefined &&
        IPV4.test(addr ?? '') &&
        /^\d{1,2}$/.test(bits ?? '') &&
        Number(bits) <= 32
      );
    },
    bi('is not an IPv4 CIDR such as 10.96.0.0/12', '不是有效的 IPv4 网段（例如 10.96.0.0/12）'),
  );

/** RFC 1123 subdomain, as Kubernetes requires of node names. */
export const nodeName = z
  .string()
  .trim()
  .max(63, bi('must be at most 63 characters', '不能超过 63 个字符'))
  .regex(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
    bi(
      'must be lower-case letters, digits, "-" and ".", starting and ending with a letter or digit',
      '只能包含小写字母、数字、“-”和“.”，且以字母或数字开头和结尾',
    ),
  );

export const clusterName = z
  .string(bi('is required', '为必填项'))
  .trim()
  .min(1, bi('must not be empty', '不能为空'))
  .max(63, bi('must be at most 63 characters', '不能超过 63 个字符'))
  .regex(
    /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/,
    bi(
      'may contain letters, digits, "-", "_" and ".", starting and ending with a letter or digit',
      '只能包含字母、数字、“-”、“_”和“.”，且以字母或数字开头和结尾',
    ),
  );

const port = z.coerce
  .number(bi('must be a number', '应为数字'))
  .int(bi('must be a whole number', '应为整数'))
  .min(1, bi('must be between 1 and 65535', '应在 1 到 65535 之间'))
  .max(65535, bi('must be between 1 and 65535', '应在 1 到 65535 之间'));

/** Extension: how to log in to hosts. An entry of master_list/node_list may override it. */
const sshUser = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[a-z_][a-z0-9_.-]*$/i, bi('is not a valid user name', '不是有效的用户名'));
const sshFields = {
  user: sshUser,
  password: z.string().max(1024).optional(),
  private_key: z.string().max(65536).optional(),
  passphrase: z.string().max(1024).optional(),
  port,
  sudo_password: z.string().max(1024).optional(),
  legacy_algorithms: z.boolean().optional(),
};
export const SshCredentials = z.object({
  ...sshFields,
  user: sshUser.default('root'),
  port: port.default(22),
});
export type SshCredentials = z.output<typeof SshCredentials>;
/** No defaults here: an override that leaves out user or port keeps the request's. */
export const SshOverride = z.object(sshFields).partial();

export const NodeEntry = z.object({
  IP: ipv4,
  NodeName: nodeName.optional(),
  ssh: SshOverride.optional(),
});
export type NodeEntry = z.output<typeof NodeEntry>;

const uuidLike = z
  .string()
  .trim()
  .regex(/^[0-9a-fA-F-]{8,64}$/, bi('is not a UUID', '不是有效的 UUID'));

export const RegistryConfig = z.object({
  RegistryAddress: z.string().trim().default(''),
  Project: z.string().trim().default(''),
  User: z.string().default(''),
  Password: z.string().default(''),
});

export const ManagedRegistryProject = z.object({
  registry_uuid: z.string().trim().default(''),
  project_name: z.string().trim().default(''),
});

/** A virtual IP and the port its load balancer serves; 6443 is the API servers' own port. */
const vipAndPort = z.object({
  vip: ipv4,
  port: port.refine(
    (p) => p !== 6443,
    bi('must not be 6443: the API servers use it', '不能使用 6443：该端口被 API Server 占用'),
  ),
});

export const HAConfig = vipAndPort;

export const ControlPlaneConfig = z.object({
  KubeProxyConfig: z
    .object({ Mode: z.enum(['iptables', 'ipvs']).default('iptables') })
    .default({ Mode: 'iptables' }),
  HAConfig: HAConfig.nullish(),
});

export const DeployRequest = z.object({
  tenant_uuid: z
    .string()
    .trim()
    .default(DEFAULT_TENANT_UUID)
    .transform((v) => v || DEFAULT_TENANT_UUID),
  name: clusterName,
  desc: z.string().max(1024).default(''),
  cluster_node_scale: z.enum(NODE_SCALES).default('medium'),
  master_list: z.array(NodeEntry).min(1, bi('needs at least one master', '至少需要一个管理节点')),
  node_list: z.array(NodeEntry).default([]),
  RegistryConfig: RegistryConfig.nullish(),
  KubernetesVersion: z
    .string(bi('is required', '为必填项'))
    .trim()
    .regex(/^v?\d+\.\d+\.\d+$/, bi('must be a version such as v1.30.2', '应为版本号，例如 v1.30.2'))
    .transform((v) => (v.startsWith('v') ? v : `v${v}`)),
  ServicePodCidr: z
    .union([z.literal(''), cidrv4])
    .default('')
    .transform((v) => v || DEFAULT_SERVICE_CIDR),
  PodCidr: z
    .union([z.literal(''), cidrv4])
    .default('')
    .transform((v) => v || DEFAULT_POD_CIDR),
  ControlPlaneConfig: ControlPlaneConfig.default({ KubeProxyConfig: { Mode: 'iptables' } }),
  use_managed_registry_project: ManagedRegistryProject.nullish(),
  max_not_failure_worker_node_num: z.number().int().min(0).nullish(),
  ssh: SshCredentials.optional(),
  bundle_path: z
    .string(bi('is required: the offline bundle to deploy', '为必填项：要部署的离线安装包'))
    .trim()
    .min(1, bi('must not be empty', '不能为空')),
});
export type DeployRequest = z.output<typeof DeployRequest>;
export type DeployRequestInput = z.input<typeof DeployRequest>;

export const DeployStatusRequest = z.object({ uuid: uuidLike });

const splitCommas = (v: string): string[] =>
  v
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/** A list of strings, or (from a query string) one comma-separated string. */
const stringList = (max: number) => {
  const list = z
    .array(z.string().trim())
    .max(max, bi(`must have at most ${max} entries`, `最多 ${max} 项`));
  return z.union([list, z.string().transform(splitCommas).pipe(list)]);
};

/** Ports, as a list or as one comma-separated string. */
const portList = (() => {
  const portNumber = z
    .number(bi('must be a number', '应为数字'))
    .int(bi('must be a whole number', '应为整数'))
    .min(1, bi('must be between 1 and 65535', '应在 1 到 65535 之间'))
    .max(65535, bi('must be between 1 and 65535', '应在 1 到 65535 之间'));
  const list = z.array(portNumber).max(8, bi('must have at most 8 entries', '最多 8 项'));
  return z.union([
    list,
    z
      .string()
      .transform((v) => splitCommas(v).map(Number))
      .pipe(list),
  ]);
})();

const absolutePath = z
  .string()
  .trim()
  .regex(/^\/[^\0]*$/, bi('must be an absolute path', '必须是绝对路径'));

/** Host scan: the spec's begin..end, plus (extensions) a CIDR, a list of addresses, CIDRs and
 * ranges, exclusions, SSH credentials to read facts, and how to probe. The addresses themselves
 * are checked by the scan (main/scan/range.ts), which names the field and value at fault. */
export const HostScanRequest = z.object({
  begin: z.string().trim().optional(),
  end: z.string().trim().optional(),
  cidr: z.string().trim().optional(),
  targets: stringList(4096).optional(),
  exclude: stringList(4096).optional(),
  ssh: SshCredentials.optional(),
  /** Ports where an SSH server may listen; the first that answers SSH is used (default: ssh.port or 22). */
  ssh_ports: portList.optional(),
  /** Per probe: connect, banner, ping. */
  timeout_ms: z.coerce.number().int().min(100).max(60000).optional(),
  concurrency: z.coerce.number().int().min(1).max(4096).optional(),
  /** Chosen by the caller to follow (scanStatus, events) and cancel the scan while it runs. */
  scan_uuid: uuidLike.optional(),
  /** false: answer at once with the scan's uuid and follow it with scanStatus. */
  wait: z.boolean().default(true),
  /** The folder whose free disk space is reported (default /opt/topke). */
  install_dir: absolutePath.optional(),
});
export type HostScanRequest = z.output<typeof HostScanRequest>;

export const ScanStatusRequest = z.object({
  /** Omitted: the most recent scan. */
  scan_uuid: uuidLike.optional(),
});

export const ScanCancelRequest = z.object({ scan_uuid: uuidLike });

export const VipTestRequest = vipAndPort;

export const NodeCreateRequest = z.object({
  uuid: uuidLike,
  node_list: z.array(NodeEntry).min(1, bi('needs at least one node', '至少需要一个节点')),
  use_managed_registry_project: ManagedRegistryProject.nullish(),
  ssh: SshCredentials.optional(),
  bundle_path: z.string().trim().optional(),
});

export const ClusterAddRequest = z.object({
  Name: clusterName,
  kube_config_data: z
    .string(bi('is required', '为必填项'))
    .min(1, bi('must not be empty', '不能为空')),
  tenant_uuid: z
    .string()
    .trim()
    .default(DEFAULT_TENANT_UUID)
    .transform((v) => v || DEFAULT_TENANT_UUID),
  contexts: z.array(z.string()).optional(),
  save_unreachable: z.boolean().optional(),
  /** Extension: the file the kubeconfig was read from, so that its relative paths resolve. */
  source_path: z.string().trim().optional(),
});

/** The spec's delete example spells the field `UUID`; get and list spell it `uuid`: both work. */
export const ClusterUuidRequest = z
  .object({ uuid: uuidLike.optional(), UUID: uuidLike.optional() })
  .transform((v, ctx) => {
    const uuid = v.uuid ?? v.UUID;
    if (uuid) return { uuid };
    ctx.addIssue({
      code: 'custom',
      path: ['uuid'],
      input: undefined,
      message: bi('is required', '为必填项'),
    });
    return z.NEVER;
  });

/** Extension: read a kubeconfig and show its contexts (and, with probe, test each one). */
export const KubeconfigInspectRequest = z.object({
  kube_config_data: z
    .string(bi('is required', '为必填项'))
    .min(1, bi('must not be empty', '不能为空')),
  source_path: z.string().trim().optional(),
  probe: z.boolean().default(false),
});

const tenantName = z
  .string(bi('is required', '为必填项'))
  .trim()
  .min(1, bi('must not be empty', '不能为空'))
  .max(64, bi('must be at most 64 characters', '不能超过 64 个字符'));

export const TenantCreateRequest = z.object({ name: tenantName });
export const TenantRenameRequest = z.object({ uuid: uuidLike, name: tenantName });
export const TenantListRequest = z.object({});

/** Extension: delete the deploy records of a cluster removed from management (or, without uuid,
 * of every removed cluster). */
export const DeployPurgeRequest = z.object({ uuid: uuidLike.optional() });

export const ClusterListRequest = z.object({
  tenant_uuid: z
    .string()
    .trim()
    .default(DEFAULT_TENANT_UUID)
    .transform((v) => v || DEFAULT_TENANT_UUID),
  sort_by: z.union([z.literal(''), z.enum(CLUSTER_SORT_KEYS)]).default('TopKESortByName'),
  sort_desc: z.boolean().default(false),
  filter: z.string().default(''),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(100000).default(100000),
});

export const RegistryDistributeRequest = z.object({
  clusters: z.array(uuidLike).min(1, bi('needs at least one cluster', '至少需要一个集群')),
  registry: z.object({ registry_uuid: uuidLike }),
  /** Extension: the login for clusters that have none stored (imported ones). */
  ssh: SshCredentials.optional(),
});

/** Extension: a managed registry. Its address and CA certificate are checked by the registry
 * service (main/registry/), which names the field and says what is wrong. */
const registryFields = {
  address: z
    .string(bi('is required', '为必填项'))
    .trim()
    .min(1, bi('must not be empty', '不能为空'))
    .max(255, bi('must be at most 255 characters', '不能超过 255 个字符')),
  project: z.string().trim().max(255, bi('must be at most 255 characters', '不能超过 255 个字符')),
  user: z.string().trim().max(255, bi('must be at most 255 characters', '不能超过 255 个字符')),
  password: z.string().max(1024, bi('must be at most 1024 characters', '不能超过 1024 个字符')),
  ca_cert: z.string().max(65536, bi('must be at most 64 KiB', '不能超过 64 KiB')),
};
export const RegistryCreateRequest = z.object({
  address: registryFields.address,
  project: registryFields.project.default(''),
  user: registryFields.user.default(''),
  password: registryFields.password.default(''),
  ca_cert: registryFields.ca_cert.default(''),
});
/** A field left out keeps its value; an empty password or ca_cert removes it. */
export const RegistryUpdateRequest = z
  .object(registryFields)
  .partial()
  .extend({ registry_uuid: uuidLike });
export const RegistryListRequest = z.object({});
/** `force` deletes a registry that clusters still name (their later node additions then fail). */
export const RegistryDeleteRequest = z.object({
  registry_uuid: uuidLike,
  force: z.boolean().default(false),
});

/** Extension: check the hosts of a deploy plan before deploying (nothing is changed on them). */
export const PreflightRequest = z.object({
  master_list: z.array(NodeEntry).min(1, bi('needs at least one master', '至少需要一个管理节点')),
  node_list: z.array(NodeEntry).default([]),
  ssh: SshCredentials.optional(),
  /** The bundle to deploy; its manifest gives the architecture and Kubernetes version. */
  bundle_path: z.string().trim().min(1, bi('must not be empty', '不能为空')).optional(),
  /** The bundle's architecture when no bundle_path is given (amd64, arm64...). */
  arch: z
    .string()
    .trim()
    .regex(
      /^[a-z0-9_]{2,16}$/,
      bi('is not an architecture such as amd64', '不是有效的架构名（例如 amd64）'),
    )
    .optional(),
  KubernetesVersion: z.string().trim().optional(),
  install_dir: absolutePath.optional(),
});
export type PreflightRequest = z.output<typeof PreflightRequest>;

/** Extension: apply the safe fixes (swap off, kernel modules, sysctls) to failing checks. */
export const PreflightFixRequest = PreflightRequest.extend({
  /** Only these check ids (e.g. "swap", "module.br_netfilter"); default: every fixable one. */
  checks: z.array(z.string().trim().min(1)).optional(),
  /** Only these hosts; default: every host of the plan. */
  hosts: z.array(ipv4).optional(),
});
export type PreflightFixRequest = z.output<typeof PreflightFixRequest>;

/** Extension: the recorded SSH host keys. A fingerprint as OpenSSH prints it. */
const sha256Fingerprint = z
  .string(bi('is required', '为必填项'))
  .trim()
  .regex(
    /^SHA256:[A-Za-z0-9+/]{43}$/,
    bi(
      'is not a SHA256 fingerprint as ssh-keygen -lf prints it ("SHA256:" and 43 characters)',
      '不是 ssh-keygen -lf 输出的 SHA256 指纹（“SHA256:” 加 43 个字符）',
    ),
  );
export const KnownHostListRequest = z.object({ host: ipv4.optional() });
export const KnownHostForgetRequest = z.object({ host: ipv4, port: port.default(22) });
/** The fingerprint the engineer was shown: only exactly that key is accepted. */
export const KnownHostAcceptRequest = KnownHostForgetRequest.extend({
  fingerprint: sha256Fingerprint,
});
