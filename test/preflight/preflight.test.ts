import { release } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../main/log.js';
import { runPreflight } from '../../main/preflight/run.js';
import type { CheckResult, PreflightHost, PreflightInput } from '../../main/preflight/types.js';
import { createKnownHostsStore } from '../../main/ssh/known-hosts.js';
import { createSshPool } from '../../main/ssh/pool.js';
import type { SshPool } from '../../main/ssh/types.js';
import type { ServiceContext } from '../../main/context.js';
import { createLab, type Lab } from '../lab/lab.js';
import { removeContext, testContext } from '../scan/harness.js';

const PW = 'preflight pw';
const STANDIN = '/var/lib/topke-standin';
const PREPARED = {
  '/etc/modules-load.d/k8s.conf': 'overlay\nbr_netfilter\n',
  '/etc/sysctl.d/k8s.conf':
    'net.ipv4.ip_forward = 1\nnet.bridge.bridge-nf-call-iptables = 1\nnet.bridge.bridge-nf-call-ip6tables = 1\n',
};
const SWAPS =
  'Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n/dev/sdb2  partition\t2097148\t\t0\t\t-2\n';
const KUBELET = '#!/bin/sh\necho "Kubernetes v1.29.4"\n';
/** A hostname Linux takes (64 characters) that is too long for a node name (63 at most). */
const LONG_NAME = `pf-${'x'.repeat(61)}`;
/** The English words the measured values are made of. */
const ENGLISH =
  /\b(free|on|from|this|computer|other|hosts|listed|once|times|and|loaded|not|at|boot|set|missing|off|none|unknown|installed|already|up|also|name|of|the|hostname|lowercased|valid|in use|plan)\b/;

/** Every row says what it found in Chinese too: in Chinese words where the English value has
 * words, else the same number, version or name. */
function expectBothLanguages(results: CheckResult[]): CheckResult[] {
  for (const r of results) {
    const row = `${r.host} ${r.check}: ${r.value} / ${r.value_cn}`;
    expect(r.value_cn, row).toBeTruthy();
    if (!ENGLISH.test(r.value)) continue;
    expect(r.value_cn, row).toMatch(/[\u4e00-\u9fff]/);
    expect(r.value_cn, row).not.toMatch(ENGLISH);
  }
  return results;
}

/** Preflight whose every row is checked for its Chinese value. */
async function preflight(input: PreflightInput): Promise<CheckResult[]> {
  return expectBothLanguages(await runPreflight(input));
}

describe('preflight checks on lab hosts made to fail them', () => {
  let lab: Lab;
  let ctx: ServiceContext;
  let pool: SshPool;
  const ip = (octet: number) => `198.18.32.${octet}`;

  async function host(
    octet: number,
    role: 'master' | 'worker' = 'master',
    nodeName = '',
  ): Promise<PreflightHost> {
    const session = await pool.session({ host: ip(octet), port: 22, user: 'root', password: PW });
    return { ip: ip(octet), role, nodeName, session };
  }

  async function check(
    octets: number[],
    role: 'master' | 'worker' = 'master',
  ): Promise<CheckResult[]> {
    const hosts = await Promise.all(octets.map((o) => host(o, role)));
    return preflight({ hosts, bundle: { arch: 'amd64', kubernetesVersion: 'v1.30.2' } });
  }

  function row(results: CheckResult[], octet: number, id: string): CheckResult {
    const found = results.find((r) => r.host === ip(octet) && r.check === id);
    if (!found) throw new Error(`no ${id} row for ${ip(octet)}`);
    return found;
  }

  beforeAll(() => {
    lab = createLab(32, [
      { octet: 11, hostname: 'pf-good', rootPassword: PW, files: PREPARED },
      { octet: 12, hostname: 'pf-onecpu', rootPassword: PW, cpus: '0', files: PREPARED },
      {
        octet: 13,
        hostname: 'pf-lowmem',
        rootPassword: PW,
        procFiles: { meminfo: 'MemTotal:        1000000 kB\nMemFree:          500000 kB\n' },
      },
      {
        octet: 14,
        hostname: 'pf-swap',
        rootPassword: PW,
        procFiles: { swaps: SWAPS },
        files: { '/etc/fstab': '# static file system information\n/dev/sdb2 none swap sw 0 0\n' },
      },
      {
        octet: 15,
        hostname: 'pf-nomod',
        rootPassword: PW,
        files: { [`${STANDIN}/modules`]: 'overlay\n' },
      },
      {
        octet: 16,
        hostname: 'pf-noforward',
        rootPassword: PW,
        files: { [`${STANDIN}/sysctl/net.ipv4.ip_forward`]: '0\n' },
      },
      {
        octet: 17,
        hostname: 'pf-ports',
        rootPassword: PW,
        sshdExtra: ['ListenAddress 0.0.0.0:6443', 'ListenAddress 0.0.0.0:30080'],
      },
      {
        octet: 18,
        hostname: 'pf-clock',
        rootPassword: PW,
        files: { [`${STANDIN}/clock-offset`]: '3600\n' },
      },
      { octet: 19, hostname: LONG_NAME, rootPassword: PW },
      {
        octet: 20,
        hostname: 'pf-kube',
        rootPassword: PW,
        files: { '/etc/kubernetes/kubelet.conf': 'apiVersion: v1\nkind: Config\n' },
      },
      { octet: 21, hostname: 'pf-disk', rootPassword: PW },
      {
        octet: 22,
        hostname: 'pf-odd-os',
        rootPassword: PW,
        files: { '/etc/os-release': 'ID=plan9\nVERSION_ID=4\nPRETTY_NAME="Plan 9 4th edition"\n' },
      },
      {
        octet: 23,
        hostname: 'pf-kubelet',
        rootPassword: PW,
        files: { '/usr/local/bin/kubelet': KUBELET },
      },
      {
        octet: 24,
        hostname: 'pf-old-kernel',
        rootPassword: PW,
        files: { [`${STANDIN}/uname`]: 'kernel-release=3.9.0-lab\n', ...PREPARED },
      },
    ]);
    lab.host(21).exec('mkdir -p /opt/topke && mount -t tmpfs -o size=64m tmpfs /opt/topke');
    lab.host(23).exec('chmod 755 /usr/local/bin/kubelet');
    // Nothing of the machine's own boot configuration: modules and sysctls are set now, not at boot.
    lab
      .host(23)
      .exec(
        'rm -rf /etc/modules /etc/modules-load.d /etc/sysctl.conf /etc/sysctl.d /usr/lib/sysctl.d /usr/lib/modules-load.d',
      );
    ctx = testContext();
    pool = createSshPool({
      knownHosts: createKnownHostsStore(ctx.db),
      log: createLogger(null, 'silent'),
    });
  });

  afterAll(async () => {
    await pool?.closeAll();
    if (ctx) removeContext(ctx);
    lab?.teardown();
  });

  it('passes every check on a prepared host', async () => {
    const results = await check([11]);
    const verdicts = Object.fromEntries(results.map((r) => [r.check, r.verdict]));
    expect(verdicts).toEqual({
      'address.unique': 'pass',
      os: 'pass',
      arch: 'pass',
      kernel: 'pass',
      cpu: 'pass',
      memory: 'pass',
      disk: 'pass',
      swap: 'pass',
      'module.overlay': 'pass',
      'module.br_netfilter': 'pass',
      'sysctl.net.ipv4.ip_forward': 'pass',
      'sysctl.net.bridge.bridge-nf-call-iptables': 'pass',
      'sysctl.net.bridge.bridge-nf-call-ip6tables': 'pass',
      ports: 'pass',
      clock: 'pass',
      hostname: 'pass',
      kubernetes: 'pass',
      runtime: 'pass',
      'hostname.unique': 'pass',
    });
    expect(row(results, 11, 'kernel').value).toBe(release());
    expect(row(results, 11, 'hostname').value).toBe('pf-good');
    expect(row(results, 11, 'ports')).toMatchObject({
      value: '6443, 2379, 2380, 10250, 10257, 10259 and 30000-32767 free',
      value_cn: '6443, 2379, 2380, 10250, 10257, 10259 及 30000-32767 均空闲',
    });
    expect(row(results, 11, 'kernel').value_cn).toBe(release());
    expect(row(results, 11, 'swap')).toMatchObject({ value: 'off', value_cn: '已关闭' });
    expect(row(results, 11, 'address.unique')).toMatchObject({
      value: 'listed once',
      value_cn: '只列出一次',
    });
    expect(row(results, 11, 'module.overlay')).toMatchObject({
      value: 'loaded',
      value_cn: '已加载',
    });
    expect(row(results, 11, 'kubernetes')).toMatchObject({ value: 'none', value_cn: '无' });
    expect(row(results, 11, 'clock').value_cn).toMatch(/^与本机相差 [+-]\d+\.\d s$/);
    for (const r of results) {
      expect(r).toMatchObject({ fix: '', fixable: false });
      expect(r.label).toBeTruthy();
      expect(r.label_cn).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('fails a one-CPU master, but not a one-CPU worker', async () => {
    const master = row(await check([12]), 12, 'cpu');
    expect(master).toMatchObject({
      verdict: 'fail',
      value: '1 CPU',
      value_cn: '1 个 CPU',
      fixable: false,
    });
    expect(master.fix).toContain('at least 2 CPUs');
    expect(master.fix_cn).toContain('至少需要 2 个 CPU');
    expect(row(await check([12], 'worker'), 12, 'cpu')).toMatchObject({
      verdict: 'pass',
      value: '1 CPU',
    });
  });

  it('fails a master below 1700 MiB and warns for a small worker', async () => {
    expect(row(await check([13]), 13, 'memory')).toMatchObject({
      verdict: 'fail',
      value: '977 MiB',
      value_cn: '977 MiB',
    });
    expect(row(await check([13], 'worker'), 13, 'memory')).toMatchObject({
      verdict: 'warn',
      value: '977 MiB',
    });
  });

  it('fails active swap, as a fixable check', async () => {
    const swap = row(await check([14]), 14, 'swap');
    expect(swap).toMatchObject({
      verdict: 'fail',
      value: '2.0 GiB on /dev/sdb2',
      value_cn: '/dev/sdb2 上共 2.0 GiB',
      fixable: true,
    });
    expect(swap.fix).toContain('swapoff -a');
  });

  it('fails a missing br_netfilter and the bridge sysctls it provides', async () => {
    const results = await check([15]);
    expect(row(results, 15, 'module.br_netfilter')).toMatchObject({
      verdict: 'fail',
      value: 'not loaded',
      value_cn: '未加载',
      fixable: true,
    });
    expect(row(results, 15, 'module.overlay').verdict).not.toBe('fail');
    expect(row(results, 15, 'sysctl.net.bridge.bridge-nf-call-iptables')).toMatchObject({
      verdict: 'fail',
      value: 'missing (is br_netfilter loaded?)',
      value_cn: '不存在（br_netfilter 是否已加载？）',
      fixable: true,
    });
  });

  it('fails ip_forward = 0', async () => {
    expect(row(await check([16]), 16, 'sysctl.net.ipv4.ip_forward')).toMatchObject({
      verdict: 'fail',
      value: '= 0',
      value_cn: '= 0',
      fixable: true,
    });
  });

  it('fails ports already in use, per role', async () => {
    const master = row(await check([17]), 17, 'ports');
    expect(master).toMatchObject({
      verdict: 'fail',
      value: 'in use: 6443, 30080',
      value_cn: '已被占用：6443, 30080',
      fixable: false,
    });
    expect(master.fix).toContain('6443, 30080');
    expect(row(await check([17], 'worker'), 17, 'ports')).toMatchObject({
      verdict: 'fail',
      value: 'in use: 30080',
    });
  });

  it('fails a clock an hour ahead, against this computer and against the other hosts', async () => {
    const results = await check([11, 16, 18]);
    expect(row(results, 18, 'clock')).toMatchObject({ verdict: 'fail' });
    expect(row(results, 18, 'clock').value).toMatch(/^\+(3599|3600|3601) s from this computer$/);
    expect(row(results, 18, 'clock').value_cn).toMatch(/^与本机相差 \+(3599|3600|3601) s$/);
    expect(row(results, 18, 'clock.hosts').verdict).toBe('fail');
    expect(row(results, 18, 'clock.hosts').value_cn).toMatch(/^与其他主机相差 \+\d+ s$/);
    expect(row(results, 11, 'clock.hosts').verdict).toBe('pass');
    expect(row(results, 16, 'clock').verdict).toBe('pass');
  });

  it('fails a hostname that is not a valid node name, unless the plan names the node', async () => {
    const bad = row(await check([19]), 19, 'hostname');
    expect(bad.verdict).toBe('fail');
    expect(bad.value).toBe(`"${LONG_NAME}" (the hostname) is not a valid node name`);
    expect(bad.value_cn).toBe(`“${LONG_NAME}”（主机名）不是有效的节点名称`);
    const named = await preflight({
      hosts: [await host(19, 'master', 'node-19')],
      bundle: { arch: 'amd64', kubernetesVersion: 'v1.30.2' },
    });
    expect(row(named, 19, 'hostname')).toMatchObject({
      verdict: 'pass',
      value: 'node-19',
      value_cn: 'node-19',
    });
  });

  it('fails node names and addresses used twice in the plan, naming the clashing hosts', async () => {
    const results = await preflight({
      hosts: [
        await host(11, 'master', 'twin'),
        await host(16, 'worker', 'twin'),
        await host(12, 'worker'),
        await host(12, 'worker'),
      ],
      bundle: { arch: 'amd64', kubernetesVersion: 'v1.30.2' },
    });
    expect(row(results, 11, 'hostname.unique')).toMatchObject({
      verdict: 'fail',
      value: `twin is also the name of ${ip(16)}`,
      value_cn: `twin 也是 ${ip(16)} 的名称`,
    });
    expect(row(results, 16, 'hostname.unique').value).toBe(`twin is also the name of ${ip(11)}`);
    expect(row(results, 12, 'address.unique')).toMatchObject({
      verdict: 'fail',
      value: 'listed 2 times (worker and worker)',
      value_cn: '列出了 2 次（工作节点和工作节点）',
    });
    expect(row(results, 11, 'address.unique').verdict).toBe('pass');
    expect(results.filter((r) => r.host === ip(12) && r.check === 'cpu')).toHaveLength(1);
  });

  it('fails a host that already belongs to a cluster, and warns for an installed kubelet', async () => {
    const results = await check([20, 23]);
    expect(row(results, 20, 'kubernetes')).toMatchObject({
      verdict: 'fail',
      value: 'already set up: /etc/kubernetes/kubelet.conf',
      value_cn: '已配置过：/etc/kubernetes/kubelet.conf',
    });
    expect(row(results, 23, 'kubernetes')).toMatchObject({
      verdict: 'warn',
      value: 'installed: Kubernetes v1.29.4 at /usr/local/bin/kubelet',
      value_cn: '已安装：Kubernetes v1.29.4（位于 /usr/local/bin/kubelet）',
    });
  });

  it('warns for modules and sysctls set now but not at boot', async () => {
    const results = await check([23]);
    expect(row(results, 23, 'module.br_netfilter')).toMatchObject({
      verdict: 'warn',
      value: 'loaded, but not at boot',
      value_cn: '已加载，但开机时不会加载',
      fixable: true,
    });
    expect(row(results, 23, 'sysctl.net.ipv4.ip_forward')).toMatchObject({
      verdict: 'warn',
      value: '= 1, but not set at boot',
      value_cn: '= 1，但开机时不会设置',
    });
  });

  it('fails too little free disk where the bundle goes', async () => {
    const disk = row(await check([21]), 21, 'disk');
    expect(disk).toMatchObject({
      verdict: 'fail',
      value: '64 MiB free on /opt/topke',
      value_cn: '/opt/topke 上可用 64 MiB',
    });
  });

  it('warns for an unknown distribution and fails another architecture than the bundle’s', async () => {
    expect(row(await check([22]), 22, 'os')).toMatchObject({
      verdict: 'warn',
      value: 'Plan 9 4th edition',
      value_cn: 'Plan 9 4th edition',
    });
    const arm = await preflight({
      hosts: [await host(11)],
      bundle: { arch: 'arm64', kubernetesVersion: 'v1.30.2' },
    });
    expect(row(arm, 11, 'arch')).toMatchObject({
      verdict: 'fail',
      value: 'amd64 (x86_64)',
      value_cn: 'amd64 (x86_64)',
    });
    expect(row(arm, 11, 'arch').fix).toContain('built for arm64');
  });

  it('fails a kernel older than 3.10, warns below 4.19, and passes 4.19, as uname reports it', async () => {
    const kernel = async (release: string) => {
      lab.host(24).exec(`echo 'kernel-release=${release}' > ${STANDIN}/uname`);
      return row(await check([24]), 24, 'kernel');
    };
    const old = await kernel('3.9.0-lab');
    expect(old).toMatchObject({ verdict: 'fail', value: '3.9.0-lab', fixable: false });
    expect(old.fix).toBe('upgrade the kernel to 4.19 or later');
    expect(old.fix_cn).toBe('请将内核升级到 4.19 或更高版本');
    expect(await kernel('4.18.0-553.el8_10.x86_64')).toMatchObject({
      verdict: 'warn',
      value: '4.18.0-553.el8_10.x86_64',
    });
    expect(await kernel('4.19.0-27-amd64')).toMatchObject({
      verdict: 'pass',
      value: '4.19.0-27-amd64',
      fix: '',
    });
  });

  it('fails a host whose machine is not the bundle’s architecture', async () => {
    lab.host(24).exec(`echo 'machine=aarch64' > ${STANDIN}/uname`);
    const arch = row(await check([24]), 24, 'arch');
    expect(arch).toMatchObject({ verdict: 'fail', value: 'arm64 (aarch64)' });
    expect(arch.fix).toBe('the bundle is built for amd64: use a bundle for arm64, or another host');
  });

  it('changes nothing on a host', async () => {
    await check([14, 15, 16]);
    for (const octet of [14, 15, 16]) {
      const calls = lab.host(octet).exec(`cat ${STANDIN}/calls.log 2>/dev/null || true`);
      expect(calls).not.toMatch(/^(modprobe|swapoff|swapon|sysctl -p|sysctl -w|sysctl --system)/m);
    }
    expect(lab.host(14).readFile('/proc/swaps')).toContain('/dev/sdb2');
  });
});
