/**
 * A deploy whose preflight fails on two hosts at once: it stops before anything is changed, and
 * its error names every failing host and check, not only the first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeployStatusResult } from '../../main/contract/results.js';
import {
  deployPlan,
  ROOT_PASSWORD,
  startDeployFixture,
  waitForDeploy,
  type DeployFixture,
} from '../deploy/harness.js';

const STANDIN = '/var/lib/topke-standin';
const SWAPS = 'Filename\tType\tSize\tUsed\tPriority\n/dev/sdb2  partition\t2097148\t0\t-2\n';

/** "host check" for each line of err_info that reports a failed check. */
function namedChecks(errInfo: string): string[] {
  return [...errInfo.matchAll(/^(198\.18\.\d+\.\d+) (\S+): /gm)].map((m) => `${m[1]} ${m[2]}`);
}

/** The same of err_info_cn, whose lines read "host check（label）：value；修复方法：fix". */
function namedChecksCn(errInfoCn: string): string[] {
  return [...errInfoCn.matchAll(/^(198\.18\.\d+\.\d+) (\S+)（[^）]+）：/gm)].map(
    (m) => `${m[1]} ${m[2]}`,
  );
}

describe('a deploy stopped by preflight failures on two hosts', () => {
  let fixture: DeployFixture | undefined;
  let status: DeployStatusResult;
  const ip = (octet: number) => `198.18.39.${octet}`;

  beforeAll(async () => {
    fixture = await startDeployFixture(39, [
      {
        octet: 11,
        rootPassword: ROOT_PASSWORD,
        files: { [`${STANDIN}/uname`]: 'kernel-release=3.9.0-lab\n' },
      },
      {
        octet: 12,
        rootPassword: ROOT_PASSWORD,
        procFiles: { swaps: SWAPS },
        files: { [`${STANDIN}/sysctl/net.ipv4.ip_forward`]: '0\n' },
      },
      { octet: 13, rootPassword: ROOT_PASSWORD },
    ]);
    const { lab, bundle, product } = fixture;
    const plan = deployPlan(
      'lab39-two-fail',
      [lab.host(11)],
      [lab.host(12), lab.host(13)],
      bundle.dir,
    );
    const { uuid } = await product.services.api.deploy(plan);
    status = await waitForDeploy(product, uuid);
  });

  afterAll(() => fixture?.teardown());

  it('fails in the first stage', () => {
    expect(status.DeployStage.State).toBe('failed');
    expect(status.DeployStage.CurrentStage).toBe(0);
    expect(status.DeployStage.Stages[0]!.error).toBe(status.err_info);
    expect(status.DeployStage.Stages[0]!.error_cn).toBe(status.err_info_cn);
  });

  it('names every failing host and check in err_info, with the value found and the fix', () => {
    expect(namedChecks(status.err_info)).toEqual([
      `${ip(11)} kernel`,
      `${ip(12)} swap`,
      `${ip(12)} sysctl.net.ipv4.ip_forward`,
    ]);
    expect(status.err_info).toContain(
      `${ip(11)} kernel: 3.9.0-lab; fix: upgrade the kernel to 4.19 or later`,
    );
    expect(status.err_info).toContain(`${ip(12)} swap: 2.0 GiB on /dev/sdb2; fix: turn swap off`);
    expect(status.err_info).toContain(`${ip(12)} sysctl.net.ipv4.ip_forward: = 0; fix: set`);
    expect(status.err_info).not.toContain(ip(13));
  });

  it('names the same hosts and checks in Chinese, with what was found and the fix in Chinese', () => {
    const cn = status.err_info_cn;
    expect(namedChecksCn(cn)).toEqual(namedChecks(status.err_info));
    expect(cn).toContain(`${ip(11)}（m-11）的步骤“预检”（preflight）失败：预检未通过：\n`);
    expect(cn).toContain(
      `${ip(11)} kernel（内核版本）：3.9.0-lab；修复方法：请将内核升级到 4.19 或更高版本`,
    );
    expect(cn).toContain(
      `${ip(12)} swap（交换分区）：/dev/sdb2 上共 2.0 GiB；修复方法：关闭交换分区（swapoff -a）`,
    );
    expect(cn).toContain(
      `${ip(12)} sysctl.net.ipv4.ip_forward（内核参数 net.ipv4.ip_forward）：= 0；修复方法：请在 /etc/sysctl.d 中设置 net.ipv4.ip_forward = 1`,
    );
    expect(cn).not.toContain('fix:');
    expect(cn).not.toContain(ip(13));
  });

  it('records the preflight step failed on both hosts and passed on the third', () => {
    const preflight = status.steps.filter((s) => s.step === 'preflight');
    expect(preflight.map((s) => [s.host, s.state])).toEqual([
      [ip(11), 'failed'],
      [ip(12), 'failed'],
      [ip(13), 'ok'],
    ]);
    const output = (octet: number) => preflight.find((s) => s.host === ip(octet))!.output;
    expect(output(11)).toContain('[fail] kernel: 3.9.0-lab');
    expect(output(12)).toContain('[fail] swap: 2.0 GiB on /dev/sdb2');
    expect(output(12)).toContain('[fail] sysctl.net.ipv4.ip_forward: = 0');
    expect(output(13)).not.toContain('[fail]');
  });

  it('gives each failed preflight step its own checks as its error, in both languages', () => {
    const step = (octet: number) =>
      status.steps.find((s) => s.step === 'preflight' && s.host === ip(octet))!;
    expect(step(11)).toMatchObject({
      step_cn: '预检',
      error:
        'preflight checks failed:\nkernel: 3.9.0-lab; fix: upgrade the kernel to 4.19 or later',
      error_cn:
        '预检未通过：\nkernel（内核版本）：3.9.0-lab；修复方法：请将内核升级到 4.19 或更高版本',
    });
    expect(
      step(12)
        .error!.split('\n')
        .slice(1)
        .map((l) => l.split(':')[0]),
    ).toEqual(['swap', 'sysctl.net.ipv4.ip_forward']);
    expect(
      step(12)
        .error_cn!.split('\n')
        .slice(1)
        .map((l) => l.split('（')[0]),
    ).toEqual(['swap', 'sysctl.net.ipv4.ip_forward']);
    expect(step(13)).toMatchObject({ state: 'ok', error: null, error_cn: null });
  });

  it('changed nothing on any host', () => {
    const { lab } = fixture!;
    for (const octet of [11, 12, 13]) {
      const host = lab.host(octet);
      expect(host.exec('ls /opt/topke 2>/dev/null || echo none').trim()).toBe('none');
      expect(host.exec(`cat ${STANDIN}/calls.log 2>/dev/null || true`)).not.toMatch(
        /^(swapoff|modprobe|sysctl -w|sysctl -p|sysctl --system|systemctl)/m,
      );
    }
    expect(lab.host(12).readFile('/proc/swaps')).toContain('/dev/sdb2');
  });
});
