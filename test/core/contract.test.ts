import { describe, expect, it } from 'vitest';
import {
  ClusterAddRequest,
  ClusterDeleteRequest,
  ClusterGetRequest,
  ClusterListRequest,
  DeployRequest,
  HostScanRequest,
  RegistryCreateRequest,
  TenantCreateRequest,
  VipTestRequest,
  validate,
} from '../../main/contract/index.js';
import { thrown } from '../support/errors.js';

const plan = {
  name: 'lab1',
  master_list: [{ IP: '198.18.50.11', NodeName: 'm1' }],
  KubernetesVersion: 'v1.30.2',
  bundle_path: '/tmp/bundle',
};

describe('request validation', () => {
  it('fills the spec defaults for CIDRs, tenant and proxy mode', () => {
    const req = validate(DeployRequest, { ...plan, PodCidr: '', ServicePodCidr: '' });
    expect(req.PodCidr).toBe('192.168.0.0/16');
    expect(req.ServicePodCidr).toBe('10.96.0.0/12');
    expect(req.ControlPlaneConfig.KubeProxyConfig.Mode).toBe('iptables');
    expect(req.node_list).toEqual([]);
  });

  it('takes the defaults of the spec\'s table: "" for ControlPlaneConfig, {} for the registries', () => {
    const req = validate(DeployRequest, {
      ...plan,
      ControlPlaneConfig: '',
      RegistryConfig: {},
      use_managed_registry_project: {},
    });
    expect(req.ControlPlaneConfig).toEqual({ KubeProxyConfig: { Mode: 'iptables' } });
    expect(req.RegistryConfig).toEqual({
      RegistryAddress: '',
      Project: '',
      User: '',
      Password: '',
    });
    expect(req.use_managed_registry_project).toEqual({ registry_uuid: '', project_name: '' });
    const err = thrown(() => validate(DeployRequest, { ...plan, ControlPlaneConfig: 'ipvs' }));
    expect(err.field).toBe('ControlPlaneConfig');
  });

  it("checks a deploy's registry project as managed registries check theirs", () => {
    const managed = { registry_uuid: 'r', project_name: 'my k8s' };
    const err = thrown(() =>
      validate(DeployRequest, { ...plan, use_managed_registry_project: managed }),
    );
    expect(err.field).toBe('use_managed_registry_project.project_name');
    expect(err.message).toMatch(
      /^use_managed_registry_project\.project_name: "my k8s" is not a registry project name: .*\(a space is not allowed\)/,
    );
    expect(err.messageCn).toMatch(/不是有效的镜像仓库项目名/);
    const config = { RegistryAddress: 'https://reg.lab', Project: 'K8s' };
    const upper = thrown(() => validate(DeployRequest, { ...plan, RegistryConfig: config }));
    expect(upper.field).toBe('RegistryConfig.Project');
    const nested = { ...config, Project: 'team/k8s_1' };
    expect(
      validate(DeployRequest, { ...plan, RegistryConfig: nested }).RegistryConfig?.Project,
    ).toBe('team/k8s_1');
  });

  it('names the field and the value in English and Chinese', () => {
    const err = thrown(() =>
      validate(DeployRequest, { ...plan, master_list: [{ IP: '10.0.0.300' }] }),
    );
    expect(err.code).toBe('invalid_field');
    expect(err.field).toBe('master_list[0].IP');
    expect(err.message).toBe('master_list[0].IP: is not an IPv4 address (got 10.0.0.300)');
    expect(err.messageCn).toBe('master_list[0].IP：不是有效的 IPv4 地址（实际为 10.0.0.300）');
  });

  it('names a full-width digit or comma in a number, as a Chinese input method types it', () => {
    const err = thrown(() => validate(VipTestRequest, { vip: '198.18.50.5', port: '８443' }));
    expect(err.message).toBe(
      'port: "８" is a full-width character; type the number with the input method in ' +
        'half-width (ASCII) mode (got ８443)',
    );
    expect(err.messageCn).toBe(
      'port：“８” 是全角字符；请将输入法切换到半角（英文）后重新输入（实际为 ８443）',
    );
    const list = thrown(() =>
      validate(HostScanRequest, { cidr: '198.18.0.0/30', ssh_ports: '22，2222' }),
    );
    expect(list.field).toBe('ssh_ports[0]');
    expect(list.message).toContain('"，" is a full-width character');
  });

  it('refuses a network written with host bits set, saying which network that prefix has', () => {
    const err = thrown(() => validate(DeployRequest, { ...plan, PodCidr: '10.244.0.1/16' }));
    expect(err.field).toBe('PodCidr');
    expect(err.message).toBe(
      'PodCidr: has host bits set: the network of that prefix is 10.244.0.0/16 (got 10.244.0.1/16)',
    );
    expect(err.messageCn).toBe(
      'PodCidr：主机位不为零：该前缀对应的网段为 10.244.0.0/16（实际为 10.244.0.1/16）',
    );
    const odd = thrown(() => validate(DeployRequest, { ...plan, ServicePodCidr: '10.96.0.0/33' }));
    expect(odd.message).toBe(
      'ServicePodCidr: is not an IPv4 CIDR such as 10.96.0.0/12 (got 10.96.0.0/33)',
    );
    expect(validate(DeployRequest, { ...plan, PodCidr: '10.244.0.0/16' }).PodCidr).toBe(
      '10.244.0.0/16',
    );
  });

  it('names a full-width character in an address, as a Chinese input method types it', () => {
    const err = thrown(() =>
      validate(DeployRequest, { ...plan, master_list: [{ IP: '10.0.0.１' }] }),
    );
    expect(err.field).toBe('master_list[0].IP');
    expect(err.message).toBe(
      'master_list[0].IP: is not an IPv4 address: "１" is a full-width character; type the ' +
        'address with the input method in half-width (ASCII) mode (got 10.0.0.１)',
    );
    expect(err.messageCn).toBe(
      'master_list[0].IP：不是有效的 IPv4 地址：“１” 是全角字符；请将输入法切换到半角（英文）后重新输入（实际为 10.0.0.１）',
    );
  });

  it('reports a missing required field', () => {
    const err = thrown(() => validate(DeployRequest, { ...plan, name: undefined }));
    expect(err.field).toBe('name');
    expect(err.message).toBe('name: is required');
  });

  it('refuses port 6443 for a VIP', () => {
    const err = thrown(() => validate(VipTestRequest, { vip: '198.18.50.5', port: 6443 }));
    expect(err.field).toBe('port');
    expect(err.message).toMatch(/must not be 6443/);
    expect(err.messageCn).toMatch(/不能使用 6443/);
  });

  it('never echoes a secret back in an error', () => {
    const err = thrown(() => validate(DeployRequest, { ...plan, ssh: { password: 12345678 } }));
    expect(err.field).toBe('ssh.password');
    expect(err.message).not.toContain('12345678');
  });
});

/** The field, the English and the Chinese message of the error `input` gets from `schema`. */
function refusal(schema: Parameters<typeof validate>[0], input: unknown): [string, string, string] {
  const err = thrown(() => validate(schema, input));
  expect(err.code).toBe('invalid_field');
  return [err.field ?? '', err.message, err.messageCn];
}

describe('fields a request does not have', () => {
  const seen = (fn: () => unknown) => {
    const e = thrown(fn);
    return { field: e.field, message: e.message, messageCn: e.messageCn };
  };

  it('are named, with the field the engineer most likely meant, at any depth', () => {
    expect(
      seen(() => validate(RegistryCreateRequest, { address: 'r.lab', username: 'u' })),
    ).toEqual({
      field: 'username',
      message: 'username: is not a field of this request: did you mean user?',
      messageCn: 'username：不是该请求的字段：是否想写 user？',
    });
    const nested = { ...plan, master_list: [{ IP: '198.18.50.11', ssh: { usr: 'ops' } }] };
    expect(seen(() => validate(DeployRequest, nested))).toEqual({
      field: 'master_list[0].ssh.usr',
      message: 'master_list[0].ssh.usr: is not a field of master_list[0].ssh: did you mean user?',
      messageCn: 'master_list[0].ssh.usr：不是 master_list[0].ssh 的字段：是否想写 user？',
    });
    // Two neighbouring letters swapped: one slip, though Levenshtein counts two.
    expect(seen(() => validate(VipTestRequest, { vip: '198.18.50.5', prot: 8443 }))).toEqual({
      field: 'prot',
      message: 'prot: is not a field of this request: did you mean port?',
      messageCn: 'prot：不是该请求的字段：是否想写 port？',
    });
    expect(seen(() => validate(HostScanRequest, { cidr: '198.18.0.0/24', bogus: 1 }))).toEqual({
      field: 'bogus',
      message: 'bogus: is not a field of this request',
      messageCn: 'bogus：不是该请求的字段',
    });
  });

  it('are named before the field they leave missing, with its spelling as the spec has it', () => {
    expect(
      seen(() => validate(ClusterAddRequest, { name: 'x', kube_config_data: 'e30=' })),
    ).toMatchObject({
      field: 'name',
      message: 'name: is not a field of this request: did you mean Name?',
    });
    expect(
      seen(() => validate(DeployRequest, { ...plan, kubernetesversion: 'v1.30.2' })).message,
    ).toBe('kubernetesversion: is not a field of this request: did you mean KubernetesVersion?');
  });

  it('leave the blocks of a deploy status accepted in a deploy, and not acted on', () => {
    const req = validate(DeployRequest, {
      ...plan,
      ControlPlaneConfig: { ConfigYaml: '', MonitorPluginConfig: { ContainerRegistry: null } },
    });
    expect(req.ControlPlaneConfig).toEqual({ KubeProxyConfig: { Mode: 'iptables' } });
  });
});

describe('validation messages, as an engineer reads them', () => {
  it('says a value of the wrong type is of the wrong type, not that it is missing', () => {
    expect(refusal(ClusterAddRequest, { Name: 'a', kube_config_data: 123 })).toEqual([
      'kube_config_data',
      'kube_config_data: must be a string (got a number)',
      'kube_config_data：应为字符串（实际为 数字）',
    ]);
    expect(refusal(TenantCreateRequest, { name: 123 })).toEqual([
      'name',
      'name: must be a string (got a number)',
      'name：应为字符串（实际为 数字）',
    ]);
    expect(refusal(ClusterListRequest, { sort_desc: 'yes' })).toEqual([
      'sort_desc',
      'sort_desc: must be true or false (got a string)',
      'sort_desc：应为 true 或 false（实际为 字符串）',
    ]);
    expect(refusal(DeployRequest, { ...plan, PodCidr: 5 })).toEqual([
      'PodCidr',
      'PodCidr: must be a string (got a number)',
      'PodCidr：应为字符串（实际为 数字）',
    ]);
  });

  it('shows Infinity and NaN as they arrive (JSON5, IPC), and null as null', () => {
    const whole = ['must be a whole number between 1 and 100000', '应为 1 到 100000 之间的整数'];
    for (const [limit, shown] of [
      [Infinity, 'Infinity'],
      [NaN, 'NaN'],
      [null, 'null'],
    ] as const) {
      expect(refusal(ClusterListRequest, { limit })).toEqual([
        'limit',
        `limit: ${whole[0]} (got ${shown})`,
        `limit：${whole[1]}（实际为 ${shown}）`,
      ]);
    }
  });

  it('lists the allowed values of an enum', () => {
    expect(refusal(ClusterListRequest, { sort_by: 'bogus' })).toEqual([
      'sort_by',
      'sort_by: must be one of TopKESortByName, TopKESortByCreateTime, TopKESortByState, TopKESortByVersion (or empty) (got bogus)',
      'sort_by：必须是以下之一：TopKESortByName, TopKESortByCreateTime, TopKESortByState, TopKESortByVersion（或留空）（实际为 bogus）',
    ]);
    expect(refusal(DeployRequest, { ...plan, cluster_node_scale: 'huge' })).toEqual([
      'cluster_node_scale',
      'cluster_node_scale: must be one of small, medium, large, xlarge (got huge)',
      'cluster_node_scale：必须是以下之一：small, medium, large, xlarge（实际为 huge）',
    ]);
  });

  it('says "must not be empty", and names an empty value in words', () => {
    expect(refusal(DeployRequest, { ...plan, ssh: { user: '' } })).toEqual([
      'ssh.user',
      'ssh.user: must not be empty',
      'ssh.user：不能为空',
    ]);
    expect(refusal(VipTestRequest, { vip: ' ', port: 8443 })).toEqual([
      'vip',
      'vip: is not an IPv4 address (got an empty string)',
      'vip：不是有效的 IPv4 地址（实际为 空字符串）',
    ]);
    expect(refusal(DeployRequest, { ...plan, master_list: [] })).toEqual([
      'master_list',
      'master_list: needs at least one master (got an empty list)',
      'master_list：至少需要一个管理节点（实际为 空列表）',
    ]);
  });

  it('blames an empty targets list on targets, and an empty scan request on begin', () => {
    expect(refusal(HostScanRequest, { targets: [] })).toEqual([
      'targets',
      'targets: needs at least one address, range or CIDR (got an empty list)',
      'targets：至少需要一个地址、地址范围或网段（实际为 空列表）',
    ]);
    expect(refusal(HostScanRequest, {})).toEqual([
      'begin',
      'begin: is required: give begin and end, a cidr, or a list of targets',
      'begin：为必填项：请提供 begin 和 end、cidr 或 targets 地址列表',
    ]);
    expect(refusal(HostScanRequest, { targets: ['198.18.0.1', ' '] })).toEqual([
      'targets[1]',
      'targets[1]: must not be empty',
      'targets[1]：不能为空',
    ]);
    const both = validate(HostScanRequest, { begin: '198.18.0.1', end: '198.18.0.9', targets: [] });
    expect(both.begin).toBe('198.18.0.1');
  });

  it('takes a port as a whole number or a string of decimal digits, nothing else', () => {
    expect(validate(VipTestRequest, { vip: '198.18.50.5', port: '8443' }).port).toBe(8443);
    expect(validate(VipTestRequest, { vip: '198.18.50.5', port: 8443 }).port).toBe(8443);
    const range = ['must be a port number between 1 and 65535', '应为 1 到 65535 之间的端口号'];
    for (const [port, shown] of [
      [true, 'true'],
      ['0x20fb', '0x20fb'],
      [8443.5, '8443.5'],
      ['1e3', '1e3'],
      ['', 'an empty string'],
      [70000, '70000'],
    ] as const) {
      const cn = shown === 'an empty string' ? '空字符串' : shown;
      expect(refusal(VipTestRequest, { vip: '198.18.50.5', port })).toEqual([
        'port',
        `port: ${range[0]} (got ${shown})`,
        `port：${range[1]}（实际为 ${cn}）`,
      ]);
    }
    expect(refusal(DeployRequest, { ...plan, ssh: { port: true } })).toEqual([
      'ssh.port',
      `ssh.port: ${range[0]} (got true)`,
      `ssh.port：${range[1]}（实际为 true）`,
    ]);
    expect(refusal(HostScanRequest, { begin: '198.18.0.1', ssh_ports: '22,abc' })).toEqual([
      'ssh_ports[1]',
      `ssh_ports[1]: ${range[0]} (got abc)`,
      `ssh_ports[1]：${range[1]}（实际为 abc）`,
    ]);
  });

  it('takes paging numbers from a query string as from JSON', () => {
    const req = validate(ClusterListRequest, { offset: '2', limit: '1' });
    expect([req.offset, req.limit]).toEqual([2, 1]);
    expect(refusal(ClusterListRequest, { offset: '-1' })).toEqual([
      'offset',
      'offset: must be a whole number, 0 or more (got -1)',
      'offset：应为不小于 0 的整数（实际为 -1）',
    ]);
  });

  it('says exactly which characters a cluster name may have, lower case only', () => {
    const rule = [
      'may contain only lowercase ASCII letters (a-z), digits (0-9), "-", "_" and ".", and must start and end with a letter or digit',
      '只能包含小写英文字母（a-z）、数字（0-9）、“-”、“_”和“.”，且必须以字母或数字开头和结尾',
    ];
    for (const Name of ['生产集群', 'NC-GOOD']) {
      expect(refusal(ClusterAddRequest, { Name, kube_config_data: 'x' })).toEqual([
        'Name',
        `Name: ${rule[0]} (got ${Name})`,
        `Name：${rule[1]}（实际为 ${Name}）`,
      ]);
    }
    expect(validate(ClusterAddRequest, { Name: '2.5', kube_config_data: 'x' }).Name).toBe('2.5');
  });

  it('refuses control characters, lone surrogates and over-long tenant names; trims the rest', () => {
    expect(refusal(TenantCreateRequest, { name: 'a\u0000b' })).toEqual([
      'name',
      'name: must not contain control characters (such as NUL, tab or a line break) (got "a\\u0000b")',
      'name：不能包含控制字符（例如 NUL、制表符或换行符）（实际为 "a\\u0000b"）',
    ]);
    expect(refusal(TenantCreateRequest, { name: 'a\ud800b' })).toEqual([
      'name',
      'name: is not valid Unicode text (it contains a lone surrogate) (got "a\\ud800b")',
      'name：不是有效的 Unicode 文本（含有孤立的代理项）（实际为 "a\\ud800b"）',
    ]);
    const [field, en, cn] = refusal(TenantCreateRequest, { name: '租'.repeat(65) });
    expect([field, en.split(' (got')[0], cn.split('（实际为')[0]]).toEqual([
      'name',
      'name: must be at most 64 characters',
      'name：不能超过 64 个字符',
    ]);
    expect(validate(TenantCreateRequest, { name: '😀'.repeat(64) }).name).toBe('😀'.repeat(64));
    expect(validate(TenantCreateRequest, { name: ' Cafe\u0301 北区 ' }).name).toBe('Café 北区');
  });

  it('names the uuid field as the spec spells it for each operation, or as it was sent', () => {
    expect(refusal(ClusterDeleteRequest, {})).toEqual([
      'UUID',
      'UUID: is required',
      'UUID：为必填项',
    ]);
    expect(refusal(ClusterDeleteRequest, { UUID: 'zz' })[0]).toBe('UUID');
    expect(refusal(ClusterDeleteRequest, { uuid: 'zz' })[0]).toBe('uuid');
    expect(validate(ClusterDeleteRequest, { uuid: 'abcdef0123' })).toEqual({
      uuid: 'abcdef0123',
      field: 'uuid',
    });
    expect(refusal(ClusterGetRequest, {})).toEqual(['uuid', 'uuid: is required', 'uuid：为必填项']);
    expect(refusal(ClusterGetRequest, { uuid: 'abcdef0123', tenant_uuid: 'not-a-uuid' })).toEqual([
      'tenant_uuid',
      'tenant_uuid: is not a UUID (got not-a-uuid)',
      'tenant_uuid：不是有效的 UUID（实际为 not-a-uuid）',
    ]);
  });
});
