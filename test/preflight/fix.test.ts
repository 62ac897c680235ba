import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TopkeError } from '../../main/contract/errors.js';
import { OPERATIONS, type OperationResults } from '../../main/contract/operations.js';
import { validate } from '../../main/contract/validate.js';
import type { ServiceContext } from '../../main/context.js';
import { createPreflightHandlers } from '../../main/preflight/service.js';
import type { CheckResult } from '../../main/preflight/types.js';
import { buildTestBundle, type TestBundle } from '../lab/bundle.js';
import { createLab, type Lab } from '../lab/lab.js';
import { removeContext, testContext } from '../scan/harness.js';
import { rejection } from '../support/errors.js';

const PW = 'fix pw';
const OPS_PW = 'ops pw';
const STANDIN = '/var/lib/topke-standin';
const SWAPS = 'Filename\tType\tSize\tUsed\tPriority\n/dev/sdb2  partition\t2097148\t0\t-2\n';
const FSTAB =
  '# static file system information\nUUID=0a1b / ext4 defaults 0 1\n/dev/sdb2 none swap sw 0 0\n';

describe('preflight and its fix action, as operations', () => {
  let lab: Lab;
  let ctx: ServiceContext;
  let bundle: TestBundle;
  let call: <K extends 'preflight' | 'preflightFix'>(
    op: K,
    input: unknown,
  ) => Promise<OperationResults[K]>;
  const ip = (octet: number) => `198.18.34.${octet}`;

  const plan = (extra: object = {}) => ({
    master_list: [{ IP: ip(14) }],
    node_list: [
      { IP: ip(11) },
      { IP: ip(12), ssh: { user: 'ops', password: OPS_PW } },
      { IP: ip(13) },
    ],
    ssh: { user: 'root', password: PW },
    arch: 'amd64',
    ...extra,
  });

  const failing = (results: CheckResult[]) =>
    results.filter((r) => r.verdict === 'fail').map((r) => `${r.host} ${r.check}`);

  beforeAll(async () => {
    lab = createLab(34, [
      {
        octet: 11,
        hostname: 'fix-swap',
        rootPassword: PW,
        procFiles: { swaps: SWAPS },
        files: { '/etc/fstab': FSTAB },
      },
      {
        octet: 12,
        hostname: 'fix-modules',
        users: [{ name: 'ops', password: OPS_PW, sudo: 'password' }],
        files: { [`${STANDIN}/modules`]: 'overlay\n' },
      },
      {
        octet: 13,
        hostname: 'fix-forward',
        rootPassword: PW,
        files: { [`${STANDIN}/sysctl/net.ipv4.ip_forward`]: '0\n' },
      },
      { octet: 14, hostname: 'fix-good', rootPassword: PW },
    ]);
    ctx = testContext();
    bundle = await buildTestBundle({ arch: 'arm64' });
    const handlers = createPreflightHandlers(ctx);
    call = (op, input) => {
      const handler = handlers[op] as (r: unknown) => Promise<never>;
      return Promise.resolve().then(() => handler(validate(OPERATIONS[op].request, input)));
    };
  });

  afterAll(() => {
    bundle?.remove();
    if (ctx) removeContext(ctx);
    lab?.teardown();
  });

  it('shows the table for a plan, with a host it cannot reach as a failed login', async () => {
    const result = await call('preflight', plan({ node_list: [{ IP: ip(13) }, { IP: ip(99) }] }));
    expect(result.ok).toBe(false);
    expect(failing(result.results)).toEqual([
      `${ip(13)} sysctl.net.ipv4.ip_forward`,
      `${ip(99)} ssh`,
    ]);
    expect(result.failed).toBe(2);
    const unreachable = result.results.find((r) => r.host === ip(99))!;
    expect(unreachable.value).toContain(`root@${ip(99)}:22`);
    // What failed, in the login's own Chinese sentence; the fix says what to do about it.
    expect(unreachable.value_cn).toContain(`root@${ip(99)}:22`);
    expect(unreachable.value_cn).toMatch(/[\u4e00-\u9fff]/);
    expect(unreachable.value_cn).not.toBe(unreachable.value);
    expect(unreachable.fix_cn).toBe('请修正 SSH 访问（地址、端口、用户、密码或私钥）后重新检查');
    const name = result.results.find((r) => r.host === ip(14) && r.check === 'hostname')!;
    expect(name).toMatchObject({
      value: 'k8s-node-198-18-34-14',
      value_cn: 'k8s-node-198-18-34-14',
    });
    expect(result.results.map((r) => r.host).filter((h, i, all) => all.indexOf(h) === i)).toEqual([
      ip(14),
      ip(13),
      ip(99),
    ]);
  });

  it('checks the architecture of the bundle given by bundle_path', async () => {
    const result = await call('preflight', {
      ...plan({ node_list: [] }),
      arch: undefined,
      bundle_path: bundle.dir,
    });
    expect(failing(result.results)).toEqual([`${ip(14)} arch`]);
  });

  it('refuses a plan without masters, or without a bundle or an architecture', async () => {
    expect(await rejection(call('preflight', plan({ master_list: [] })))).toMatchObject({
      code: 'invalid_field',
      field: 'master_list',
    });
    const noBundle = await rejection(call('preflight', { ...plan(), arch: undefined }));
    expect(noBundle).toMatchObject({ code: 'invalid_field', field: 'bundle_path' });
    expect(noBundle).toBeInstanceOf(TopkeError);
  });

  it('fixes only the selected check on the selected host', async () => {
    const result = await call('preflightFix', {
      ...plan(),
      hosts: [ip(13)],
      checks: ['sysctl.net.ipv4.ip_forward'],
    });
    expect(result.applied).toEqual([
      expect.objectContaining({ host: ip(13), check: 'sysctl.net.ipv4.ip_forward', ok: true }),
    ]);
    expect(failing(result.results)).toEqual([
      `${ip(11)} swap`,
      `${ip(12)} module.br_netfilter`,
      `${ip(12)} sysctl.net.bridge.bridge-nf-call-iptables`,
      `${ip(12)} sysctl.net.bridge.bridge-nf-call-ip6tables`,
    ]);
    expect(lab.host(13).readFile('/etc/sysctl.d/99-topke-kubernetes.conf')).toBe(
      'net.ipv4.ip_forward = 1\n',
    );
    expect(lab.host(11).readFile('/proc/swaps')).toContain('/dev/sdb2');
    expect(lab.host(11).exec(`cat ${STANDIN}/calls.log`)).not.toMatch(/^swapoff/m);
  });

  it('fixes swap, modules (through sudo) and sysctls, then every check passes', async () => {
    const result = await call('preflightFix', plan());
    expect(result.applied.every((a) => a.ok)).toBe(true);
    expect(result.applied.map((a) => `${a.host} ${a.check}`)).toEqual(
      expect.arrayContaining([
        `${ip(11)} swap`,
        `${ip(12)} module.br_netfilter`,
        `${ip(12)} sysctl.net.bridge.bridge-nf-call-iptables`,
      ]),
    );
    expect(result).toMatchObject({ ok: true, failed: 0 });
    const fixableLeft = result.results.filter((r) => r.fixable);
    expect(fixableLeft).toEqual([]);

    const swapHost = lab.host(11);
    expect(swapHost.readFile('/proc/swaps').trim().split('\n')).toHaveLength(1);
    expect(swapHost.readFile('/etc/fstab')).toContain('# /dev/sdb2 none swap sw 0 0');
    expect(swapHost.readFile('/etc/fstab')).toContain('UUID=0a1b / ext4 defaults 0 1\n');
    expect(swapHost.readFile('/etc/fstab.topke-backup')).toBe(FSTAB);

    const modHost = lab.host(12);
    expect(modHost.readFile('/etc/modules-load.d/topke-kubernetes.conf').split('\n')).toEqual(
      expect.arrayContaining(['overlay', 'br_netfilter']),
    );
    expect(modHost.readFile(`${STANDIN}/modules`)).toContain('br_netfilter');
    expect(modHost.exec(`cat ${STANDIN}/calls.log`)).toMatch(/^modprobe br_netfilter$/m);
    expect(modHost.readFile(`${STANDIN}/sysctl/net.bridge.bridge-nf-call-iptables`).trim()).toBe(
      '1',
    );
    expect(modHost.readFile('/etc/sysctl.d/99-topke-kubernetes.conf')).toContain(
      'net.bridge.bridge-nf-call-iptables = 1',
    );
  });

  it('has nothing left to fix the second time', async () => {
    const result = await call('preflightFix', plan());
    expect(result.applied).toEqual([]);
    expect(result.ok).toBe(true);
  });
});
