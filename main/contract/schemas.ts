import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { unusableAddress } from './address-use.js';
import { splitCommas } from './comma-list.js';
import { DNS_SUBDOMAIN } from './dns-name.js';
import { fullWidthProblem } from './full-width.js';
import { projectProblem } from './registry-project.js';
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
  .string()
  .trim()
  .superRefine((v, ctx) => {
    if (IPV4.test(v)) return;
    const wide = fullWidthProblem(v);
    const [en, cn] = wide ? [`: ${wide[0]}`, `：${wide[1]}`] : ['', ''];
    ctx.addIssue({
      code: 'custom',
      message: bi(`is not an IPv4 address${en}`, `不是有效的 IPv4 地址${cn}`),
    });
  });

/** An address a host can have: an IPv4 address outside loopback, multicast and the like. */
export const hostIpv4 = ipv4.superRefine((v, ctx) => {
  const problem = IPV4.test(v) ? unusableAddress(v) : null;
  if (problem) ctx.addIssue({ code: 'custom', message: bi(...problem) });
});

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
  )
  .superRefine((v, ctx) => {
    // A network is written with its host bits zero: 10.244.0.1/16 may be a typo of either part.
    if (!ipaddr.IPv4.isValidCIDR(v)) return; // said above
    const network = ipaddr.IPv4.networkAddressFromCIDR(v).toString();
    if (network !== v.split('/')[0])
      ctx.addIssue({
        code: 'custom',
        message: bi(
          `has host bits set: the network of that prefix is ${network}/${v.split('/')[1]}`,
          `主机位不为零：该前缀对应的网段为 ${network}/${v.split('/')[1]}`,
        ),
      });
  });

/** RFC 1123 subdomain, as Kubernetes requires of node names. */
export const nodeName = z
  .string()
  .trim()
  .max(63, bi('must be at most 63 characters', '不能超过 63 个字符'))
  .regex(
    DNS_SUBDOMAIN,
    bi(
      'must be lower-case letters, digits, "-" and ".", starting and ending with a letter or digit',
      '只能包含小写字母、数字、“-”和“.”，且以字母或数字开头和结尾',
    ),
  );

/** A deployed cluster's name is its kubeadm clusterName (and so the cluster's name in every
 * kubeconfig), and any cluster's name is its kubeconfig's file name and what the CLI finds it
 * by: lower-case ASCII as Kubernetes names are, so that "prod" and "PROD" can never both exist.
 * "." stays allowed, as in the spec's example "2.5". */
export const clusterName = z
  .string()
  .trim()
  .min(1, bi('must not be empty', '不能为空'))
  .max(63, bi('must be at most 63 characters', '不能超过 63 个字符'))
  .regex(
    /^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$/,
    bi(
      'may contain only lowercase ASCII letters (a-z), digits (0-9), "-", "_" and ".", and must start and end with a letter or digit',
      '只能包含小写英文字母（a-z）、数字（0-9）、“-”、“_”和“.”，且必须以字母或数字开头和结尾',
    ),
  );

const DECIMAL = /^\d+$/;

/** A whole number from min to max: a JSON number, or a string of decimal digits as a query
 * string sends it (GET and POST mean the same). Booleans, hex, exponents, signs and fractions
 * are refused, with `message` saying what is allowed. */
function wholeNumber(min: number, max: number, message: string) {
  return z
    .union(
      [
        z.number(),
        // Judged as written: a string too long for a whole number is named as typed.
        z
          .string()
          .trim()
          .regex(DECIMAL, message)
          .refine((digits) => Number.isSafeInteger(Number(digits)), message)
          .transform(Number),
      ],
      {
        error: (issue) => {
          if (issue.input === undefined) return undefined;
          const wide = typeof issue.input === 'string' && fullWidthProblem(issue.input, 'number');
          return wide ? bi(...wide) : message;
        },
      },
    )
    .pipe(z.number().int(message).min(min, message).max(max, message));
}

const zeroOrMore = bi('must be a whole number, 0 or more', '应为不小于 0 的整数');

const between = (min: number, max: number): string =>
  bi(`must be a whole number between ${min} and ${max}`, `应为 ${min} 到 ${max} 之间的整数`);

const port = wholeNumber(
  1,
  65535,
  bi('must be a port number between 1 and 65535', '应为 1 到 65535 之间的端口号'),
);

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
export const SshCredentials = z.strictObject({
  ...sshFields,
  user: sshUser.default('root'),
  port: port.default(22),
});
export type SshCredentials = z.output<typeof SshCredentials>;
/** No defaults here: an override that leaves out user or port keeps the request's. */
export const SshOverride = z.strictObject(sshFields).partial();

export const NodeEntry = z.strictObject({
  IP: hostIpv4,
  NodeName: nodeName.optional(),
  ssh: SshOverride.optional(),
});
export type NodeEntry = z.output<typeof NodeEntry>;

const UUID_TEXT = /^[0-9a-fA-F-]{8,64}$/;
const notUuid = bi('is not a UUID', '不是有效的 UUID');
const uuidLike = z.string().trim().regex(UUID_TEXT, notUuid);

/** The spec's tenant_uuid: left out or empty, the default tenant; otherwise it must be a UUID. */
const tenantUuid = z
  .string()
  .trim()
  .refine((v) => v === '' || UUID_TEXT.test(v), notUuid)
  .default('')
  .transform((v) => v || DEFAULT_TENANT_UUID);

/** A registry project, as managed registries check theirs. */
const registryProject = z
  .string()
  .trim()
  .superRefine((v, ctx) => {
    const problem = projectProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: bi(...problem) });
  });

export const RegistryConfig = z.strictObject({
  RegistryAddress: z.string().trim().default(''),
  Project: registryProject.default(''),
  User: z.string().default(''),
  Password: z.string().default(''),
});

export const ManagedRegistryProject = z.strictObject({
  registry_uuid: z.string().trim().default(''),
  project_name: registryProject.default(''),
});

/** A virtual IP and the port its load balancer serves; 6443 is the API servers' own port. */
const vipAndPort = z.strictObject({
  vip: hostIpv4,
  port: port.refine(
    (p) => p !== 6443,
    bi('must not be 6443: the API servers use it', '不能使用 6443：该端口被 API Server 占用'),
  ),
});

export const HAConfig = vipAndPort;

/** Blocks of the spec's deploy status that a client may send back in a deploy (so that a status's
 * ControlPlaneConfig can be deployed again): accepted, and not acted on. The network plugin is
 * always the bundle's Calico, and none of these plugins is installed. */
const statusOnlyBlock = z.unknown().optional();

export const ControlPlaneConfig = z
  .strictObject({
    KubeProxyConfig: z
      .strictObject({ Mode: z.enum(['iptables', 'ipvs']).default('iptables') })
      .default({ Mode: 'iptables' }),
    HAConfig: HAConfig.nullish(),
    ConfigYaml: statusOnlyBlock,
    NetworkPluginConfig: statusOnlyBlock,
    MonitorPluginConfig: statusOnlyBlock,
    KubectlPluginConfig: statusOnlyBlock,
    RegistryDistributePluginConfig: statusOnlyBlock,
    StoragePluginConfig: statusOnlyBlock,
    NamespaceControllerPluginConfig: statusOnlyBlock,
  })
  .transform(({ KubeProxyConfig, HAConfig }) => ({ KubeProxyConfig, HAConfig }));

export const DeployRequest = z.strictObject({
  tenant_uuid: tenantUuid,
  name: clusterName,
  desc: z.string().max(1024).default(''),
  cluster_node_scale: z.enum(NODE_SCALES).default('medium'),
  master_list: z.array(NodeEntry).min(1, bi('needs at least one master', '至少需要一个管理节点')),
  node_list: z.array(NodeEntry).default([]),
  RegistryConfig: RegistryConfig.nullish(),
  KubernetesVersion: z
    .string()
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
  // The spec's table gives "" as this struct's default: "" means none, as leaving it out does.
  ControlPlaneConfig: z
    .union([ControlPlaneConfig, z.literal('')])
    .default('')
    .transform((v) => (v === '' ? ControlPlaneConfig.parse({}) : v)),
  use_managed_registry_project: ManagedRegistryProject.nullish(),
  max_not_failure_worker_node_num: wholeNumber(0, Number.MAX_SAFE_INTEGER, zeroOrMore).nullish(),
  ssh: SshCredentials.optional(),
  /** Left out (as in the spec's example), the one bundle of KubernetesVersion in the data
   * folder's bundles/ (main/bundle/find.ts). */
  bundle_path: z.string().trim().min(1, bi('must not be empty', '不能为空')).optional(),
});
export type DeployRequest = z.output<typeof DeployRequest>;
export type DeployRequestInput = z.input<typeof DeployRequest>;

/** `uuid`: the cluster (its latest deploy is shown). Extension: `deploy_id` picks one of its
 * deploys, as deploy/list names them. */
export const DeployStatusRequest = z.strictObject({
  uuid: uuidLike,
  deploy_id: uuidLike.optional(),
});

/** Extension: every deploy of a cluster, newest first. */
export const DeployListRequest = z.strictObject({ uuid: uuidLike });

/** A list of strings, or (from a query string) one comma-separated string. */
const stringList = (max: number) => {
  const list = z
    .array(z.string().trim().min(1, bi('must not be empty', '不能为空')))
    .max(max, bi(`must have at most ${max} entries`, `最多 ${max} 项`));
  return z.union([list, z.string().transform(splitCommas).pipe(list)]);
};

/** Ports, as a list or as one comma-separated string. */
const portList = (() => {
  const list = z.array(port).max(8, bi('must have at most 8 entries', '最多 8 项'));
  const fromText = (v: string): (string | number)[] => splitCommas(v);
  return z.union([list, z.string().transform(fromText).pipe(list)]);
})();

const absolutePath = z
  .string()
  .trim()
  .regex(/^\/[^\0]*$/, bi('must be an absolute path', '必须是绝对路径'));

/** Host scan: the spec's begin..end, plus (extensions) a CIDR, a list of addresses, CIDRs and
 * ranges, exclusions, SSH credentials to read facts, and how to probe. The addresses themselves
 * are checked by the scan (main/scan/range.ts), which names the field and value at fault. */
export const HostScanRequest = z
  .strictObject({
    begin: z.string().trim().optional(),
    end: z.string().trim().optional(),
    cidr: z.string().trim().optional(),
    targets: stringList(4096).optional(),
    exclude: stringList(4096).optional(),
    ssh: SshCredentials.optional(),
    /** Ports where an SSH server may listen; the first that answers SSH is used (default: ssh.port or 22). */
    ssh_ports: portList.optional(),
    /** Per probe: connect, banner, ping. */
    timeout_ms: wholeNumber(100, 60000, between(100, 60000)).optional(),
    concurrency: wholeNumber(1, 4096, between(1, 4096)).optional(),
    /** Chosen by the caller to follow (scanStatus, events) and cancel the scan while it runs. */
    scan_uuid: uuidLike.optional(),
    /** false: answer at once with the scan's uuid and follow it with scanStatus. */
    wait: z.boolean().default(true),
    /** The folder whose free disk space is reported (default /opt/topke). */
    install_dir: absolutePath.optional(),
  })
  .superRefine((req, ctx) => {
    // Something to scan; an empty targets list is the client's mistake, not a missing begin.
    if (req.begin || req.end || req.cidr || req.targets?.length) return;
    if (req.targets)
      ctx.addIssue({
        code: 'custom',
        path: ['targets'],
        input: req.targets,
        message: bi(
          'needs at least one address, range or CIDR',
          '至少需要一个地址、地址范围或网段',
        ),
      });
    else
      ctx.addIssue({
        code: 'custom',
        path: ['begin'],
        input: undefined,
        message: bi(
          'is required: give begin and end, a cidr, or a list of targets',
          '为必填项：请提供 begin 和 end、cidr 或 targets 地址列表',
        ),
      });
  });
export type HostScanRequest = z.output<typeof HostScanRequest>;

export const ScanStatusRequest = z.strictObject({
  /** Omitted: the most recent scan. */
  scan_uuid: uuidLike.optional(),
});

export const ScanCancelRequest = z.strictObject({ scan_uuid: uuidLike });

export const VipTestRequest = vipAndPort;

export const NodeCreateRequest = z.strictObject({
  uuid: uuidLike,
  node_list: z.array(NodeEntry).min(1, bi('needs at least one node', '至少需要一个节点')),
  use_managed_registry_project: ManagedRegistryProject.nullish(),
  ssh: SshCredentials.optional(),
  bundle_path: z.string().trim().optional(),
});

/** Extension: the exec credential plugins the engineer allows to run, each by the fingerprint
 * kubeconfig/inspect shows for it; a plugin not named here is never run. */
const allowExec = z
  .array(
    z
      .string()
      .trim()
      .regex(
        /^SHA256:[A-Za-z0-9+/]{43}$/,
        bi(
          'is not an exec plugin fingerprint as kubeconfig/inspect shows it ("SHA256:" and 43 characters)',
          '不是 kubeconfig/inspect 显示的 exec 插件指纹（“SHA256:” 加 43 个字符）',
        ),
      ),
  )
  .optional();

export const ClusterAddRequest = z.strictObject({
  Name: clusterName,
  kube_config_data: z.string().min(1, bi('must not be empty', '不能为空')),
  tenant_uuid: tenantUuid,
  contexts: z.array(z.string()).optional(),
  save_unreachable: z.boolean().optional(),
  allow_exec: allowExec,
  /** Extension: the file the kubeconfig was read from, so that its relative paths resolve
   * (desktop and command line only: the HTTP transport refuses it). */
  source_path: z.string().trim().optional(),
});

type UuidKey = 'uuid' | 'UUID';
const uuidKeys = { uuid: uuidLike.optional(), UUID: uuidLike.optional() };

/** The cluster a request names by `uuid` or by `UUID`, and the key the client sent, so that
 * errors name it; when it sent neither, the spec's spelling is the one said to be required. */
function pickUuid(
  v: { uuid?: string | undefined; UUID?: string | undefined },
  ctx: z.RefinementCtx,
  specKey: UuidKey,
): { uuid: string; field: UuidKey } {
  if (v.uuid !== undefined && v.UUID !== undefined && v.uuid !== v.UUID) {
    ctx.addIssue({
      code: 'custom',
      path: ['UUID'],
      input: v.UUID,
      message: bi(
        'names another cluster than uuid: send only one of them',
        '与 uuid 指向不同的集群：只需提供其中一个',
      ),
    });
    return z.NEVER;
  }
  const other: UuidKey = specKey === 'uuid' ? 'UUID' : 'uuid';
  const field = v[specKey] !== undefined ? specKey : other;
  const uuid = v[field];
  if (uuid !== undefined) return { uuid, field };
  ctx.addIssue({
    code: 'custom',
    path: [specKey],
    input: undefined,
    message: bi('is required', '为必填项'),
  });
  return z.NEVER;
}

/** The spec spells the cluster's key UUID for delete and uuid for get; clients send either. */
const clusterRef = (specKey: UuidKey) =>
  z.strictObject(uuidKeys).transform((v, ctx) => pickUuid(v, ctx, specKey));

/** Check and kubeconfig download (extensions) spell it `uuid`, as get does. */
export const ClusterUuidRequest = clusterRef('uuid');
/** The spec's delete: `UUID`. */
export const ClusterDeleteRequest = clusterRef('UUID');
/** The spec's get: `uuid`, and the tenant it belongs to. Left out or empty, the tenant is not
 * checked (the CLI and the history find a cluster by its uuid alone). */
export const ClusterGetRequest = z
  .strictObject({
    ...uuidKeys,
    tenant_uuid: z
      .string()
      .trim()
      .refine((v) => v === '' || UUID_TEXT.test(v), notUuid)
      .optional(),
  })
  .transform((v, ctx) => ({
    ...pickUuid(v, ctx, 'uuid'),
    tenant_uuid: v.tenant_uuid || undefined,
  }));

/** Extension: read a kubeconfig and show its contexts (and, with probe, test each one). */
export const KubeconfigInspectRequest = z.strictObject({
  kube_config_data: z.string().min(1, bi('must not be empty', '不能为空')),
  source_path: z.string().trim().optional(),
  probe: z.boolean().default(false),
  allow_exec: allowExec,
});

/** A tenant's name is shown, not used as a Kubernetes name: any text of up to 64 characters
 * (counted as Unicode characters), trimmed, in NFC, without control characters or broken
 * UTF-16 (a lone surrogate cannot be stored or shown). */
const tenantName = z
  .string()
  .trim()
  .min(1, bi('must not be empty', '不能为空'))
  .refine(
    (v) => !/[\p{Cc}\u2028\u2029]/u.test(v),
    bi(
      'must not contain control characters (such as NUL, tab or a line break)',
      '不能包含控制字符（例如 NUL、制表符或换行符）',
    ),
  )
  .refine(
    (v) => !/\p{Cs}/u.test(v),
    bi(
      'is not valid Unicode text (it contains a lone surrogate)',
      '不是有效的 Unicode 文本（含有孤立的代理项）',
    ),
  )
  .refine((v) => [...v].length <= 64, bi('must be at most 64 characters', '不能超过 64 个字符'))
  .transform((v) => v.normalize('NFC'));

export const TenantCreateRequest = z.strictObject({ name: tenantName });
export const TenantRenameRequest = z.strictObject({ uuid: uuidLike, name: tenantName });
export const TenantListRequest = z.strictObject({});

/** Extension: delete the deploy records of a cluster removed from management (or, without uuid,
 * of every removed cluster). */
export const DeployPurgeRequest = z.strictObject({ uuid: uuidLike.optional() });

export const ClusterListRequest = z.strictObject({
  tenant_uuid: tenantUuid,
  sort_by: z.union([z.literal(''), z.enum(CLUSTER_SORT_KEYS)]).default('TopKESortByName'),
  sort_desc: z.boolean().default(false),
  filter: z.string().default(''),
  offset: wholeNumber(0, Number.MAX_SAFE_INTEGER, zeroOrMore).default(0),
  limit: wholeNumber(1, 100000, between(1, 100000)).default(100000),
});

export const RegistryDistributeRequest = z.strictObject({
  clusters: z.array(uuidLike).min(1, bi('needs at least one cluster', '至少需要一个集群')),
  registry: z.strictObject({ registry_uuid: uuidLike }),
  /** Extension: the login for clusters that have none stored (imported ones). */
  ssh: SshCredentials.optional(),
});

/** Extension: a managed registry. Its address and CA certificate are checked by the registry
 * service (main/registry/), which names the field and says what is wrong. */
const registryFields = {
  address: z
    .string()
    .trim()
    .min(1, bi('must not be empty', '不能为空'))
    .max(255, bi('must be at most 255 characters', '不能超过 255 个字符')),
  project: z.string().trim().max(255, bi('must be at most 255 characters', '不能超过 255 个字符')),
  user: z.string().trim().max(255, bi('must be at most 255 characters', '不能超过 255 个字符')),
  password: z.string().max(1024, bi('must be at most 1024 characters', '不能超过 1024 个字符')),
  ca_cert: z.string().max(65536, bi('must be at most 64 KiB', '不能超过 64 KiB')),
};
export const RegistryCreateRequest = z.strictObject({
  address: registryFields.address,
  project: registryFields.project.default(''),
  user: registryFields.user.default(''),
  password: registryFields.password.default(''),
  ca_cert: registryFields.ca_cert.default(''),
});
/** A field left out keeps its value; an empty password or ca_cert removes it. */
export const RegistryUpdateRequest = z
  .strictObject(registryFields)
  .partial()
  .extend({ registry_uuid: uuidLike });
export const RegistryListRequest = z.strictObject({});
/** `force` deletes a registry that clusters still name (their later node additions then fail). */
export const RegistryDeleteRequest = z.strictObject({
  registry_uuid: uuidLike,
  force: z.boolean().default(false),
});

/** Extension: check the hosts of a deploy plan before deploying (nothing is changed on them). */
export const PreflightRequest = z.strictObject({
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
  .string()
  .trim()
  .regex(
    /^SHA256:[A-Za-z0-9+/]{43}$/,
    bi(
      'is not a SHA256 fingerprint as ssh-keygen -lf prints it ("SHA256:" and 43 characters)',
      '不是 ssh-keygen -lf 输出的 SHA256 指纹（“SHA256:” 加 43 个字符）',
    ),
  );
export const KnownHostListRequest = z.strictObject({ host: ipv4.optional() });
export const KnownHostForgetRequest = z.strictObject({ host: ipv4, port: port.default(22) });
/** The fingerprint the engineer was shown: only exactly that key is accepted. */
export const KnownHostAcceptRequest = KnownHostForgetRequest.extend({
  fingerprint: sha256Fingerprint,
});
