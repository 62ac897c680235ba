import { asTopkeError } from '../contract/errors.js';
import { DEFAULT_INSTALL_DIR, readHostFacts } from '../scan/host-facts.js';
import { checkClock, checkClockSpread } from './checks/clock.js';
import { checkExistingKubernetes, checkRuntime } from './checks/existing.js';
import { checkModules, checkSysctls } from './checks/kernel.js';
import { checkNodeName, checkUniqueAddresses, checkUniqueNames } from './checks/names.js';
import { checkArch, checkKernel, checkOs } from './checks/platform.js';
import { checkPorts } from './checks/ports.js';
import { checkCpu, checkDisk, checkMemory } from './checks/resources.js';
import { checkSwap } from './checks/swap.js';
import type { CheckContext, HostCheck, HostReading } from './reading.js';
import { checkResult, worded } from './result.js';
import type { CheckResult, PreflightHost, PreflightInput, UnreachableHost } from './types.js';

/** The per-host checks, in the order the table shows them. */
const HOST_CHECKS: HostCheck[] = [
  checkOs,
  checkArch,
  checkKernel,
  checkCpu,
  checkMemory,
  checkDisk,
  checkSwap,
  checkModules,
  checkSysctls,
  checkPorts,
  checkClock,
  checkNodeName,
  checkExistingKubernetes,
  checkRuntime,
];

const SSH = { label: 'SSH login', labelCn: 'SSH 登录' };

type Outcome = { reading: HostReading } | { unreachable: UnreachableHost };

async function readHost(host: PreflightHost, installDir: string): Promise<Outcome> {
  try {
    const { facts, clockSkewMs } = await readHostFacts(host.session, { installDir });
    const reading = { ip: host.ip, role: host.role, nodeName: host.nodeName, facts, clockSkewMs };
    return { reading };
  } catch (err) {
    const e = asTopkeError(err);
    return {
      unreachable: {
        ip: host.ip,
        nodeName: host.nodeName,
        role: host.role,
        error: e.message,
        errorCn: e.messageCn,
      },
    };
  }
}

function sshFailure(u: UnreachableHost): CheckResult {
  return checkResult(u.ip, 'ssh', 'fail', worded(u.error, u.errorCn ?? u.error), {
    ...SSH,
    fix: 'fix the SSH access (address, port, user, password or key) and check again',
    fixCn: '请修正 SSH 访问（地址、端口、用户、密码或私钥）后重新检查',
  });
}

/** Orders rows by the plan's host order, keeping each host's checks in table order. */
function byHostOrder(rows: CheckResult[], order: string[]): CheckResult[] {
  const rank = (ip: string) => order.indexOf(ip);
  return rows
    .map((row, i) => ({ row, i }))
    .sort((a, b) => rank(a.row.host) - rank(b.row.host) || a.i - b.i)
    .map((x) => x.row);
}

/** Checks every host of a plan before anything is changed on it: per host and per check, the
 * verdict, the measured value and the fix. Reads only; a host that cannot be read gets a failed
 * "ssh" row. The deploy stops when any row fails. */
export async function runPreflight(input: PreflightInput): Promise<CheckResult[]> {
  const ctx: CheckContext = {
    bundle: input.bundle,
    installDir: input.installDir ?? DEFAULT_INSTALL_DIR,
  };
  // An address listed twice is read once; the duplicate is reported by its own check.
  const distinct = input.hosts.filter((h, i) => input.hosts.findIndex((o) => o.ip === h.ip) === i);
  const outcomes = await Promise.all(distinct.map((h) => readHost(h, ctx.installDir)));
  const readings = outcomes.flatMap((o) => ('reading' in o ? [o.reading] : []));
  const unreachable = [
    ...(input.unreachable ?? []),
    ...outcomes.flatMap((o) => ('unreachable' in o ? [o.unreachable] : [])),
  ];
  const everyHost = [...input.hosts, ...(input.unreachable ?? [])];
  const planned = [
    ...readings.map((r) => ({ ip: r.ip, nodeName: r.nodeName, hostname: r.facts.hostname })),
    ...unreachable
      .filter((u) => u.nodeName)
      .map((u) => ({ ip: u.ip, nodeName: u.nodeName, hostname: '' })),
  ];
  const rows = [
    ...unreachable.map(sshFailure),
    ...checkUniqueAddresses(everyHost),
    ...readings.flatMap((r) => HOST_CHECKS.flatMap((check) => check(r, ctx))),
    ...checkUniqueNames(planned),
    ...checkClockSpread(readings),
  ];
  return byHostOrder(
    rows,
    everyHost.map((h) => h.ip),
  );
}

/** Counts for a summary line. */
export function summarize(results: CheckResult[]): { ok: boolean; failed: number; warned: number } {
  const failed = results.filter((r) => r.verdict === 'fail').length;
  const warned = results.filter((r) => r.verdict === 'warn').length;
  return { ok: failed === 0, failed, warned };
}
