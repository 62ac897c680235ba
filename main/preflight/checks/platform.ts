import { bare, checkResult, UNKNOWN, type Measured } from '../result.js';
import type { CheckContext, HostReading } from '../reading.js';
import type { CheckResult } from '../types.js';
import { KERNEL_FAIL_BELOW, KERNEL_WARN_BELOW, KNOWN_OS_IDS } from '../thresholds.js';

const OS = { label: 'Operating system', labelCn: '操作系统' };
const ARCH = { label: 'Architecture', labelCn: 'CPU 架构' };
const KERNEL = { label: 'Kernel version', labelCn: '内核版本' };

/** Linux is required; a distribution outside the usual ones is worth a warning. */
export function checkOs(r: HostReading): CheckResult[] {
  const f = r.facts;
  const named = f.osName || [f.osId, f.osVersion].filter(Boolean).join(' ') || f.unameS;
  const value = named ? bare(named) : UNKNOWN;
  if (f.unameS && f.unameS !== 'Linux') {
    return [
      checkResult(r.ip, 'os', 'fail', value, {
        ...OS,
        fix: 'Kubernetes nodes must run Linux',
        fixCn: 'Kubernetes 节点必须运行 Linux',
      }),
    ];
  }
  if (!KNOWN_OS_IDS.includes(f.osId)) {
    return [
      checkResult(r.ip, 'os', 'warn', value, {
        ...OS,
        fix: `"${f.osId || 'unknown'}" is not a distribution this installer is tested on; it may still work`,
        fixCn: `“${f.osId || '未知'}” 不在本安装器测试过的发行版之列；仍可能可以使用`,
      }),
    ];
  }
  return [checkResult(r.ip, 'os', 'pass', value, OS)];
}

/** "arm64 (aarch64)": the bundle's name for it, and the machine's where that differs. */
function archValue(arch: string, machine: string): Measured {
  if (!arch) return UNKNOWN;
  return bare(machine && machine !== arch ? `${arch} (${machine})` : arch);
}

/** The bundle's binaries run on one architecture only. */
export function checkArch(r: HostReading, ctx: CheckContext): CheckResult[] {
  const arch = r.facts.arch || 'unknown';
  const value = archValue(r.facts.arch, r.facts.machine);
  if (arch !== ctx.bundle.arch) {
    return [
      checkResult(r.ip, 'arch', 'fail', value, {
        ...ARCH,
        fix: `the bundle is built for ${ctx.bundle.arch}: use a bundle for ${arch}, or another host`,
        fixCn: `安装包适用于 ${ctx.bundle.arch}：请使用 ${arch} 的安装包，或换一台主机`,
      }),
    ];
  }
  return [checkResult(r.ip, 'arch', 'pass', value, ARCH)];
}

function kernelBelow(kernel: string, [major, minor]: [number, number]): boolean {
  const m = /^(\d+)\.(\d+)/.exec(kernel);
  if (!m) return false;
  const [a, b] = [Number(m[1]), Number(m[2])];
  return a < major || (a === major && b < minor);
}

/** Current Kubernetes needs a 4.19 or later kernel; 3.10 is the floor for any container runtime. */
export function checkKernel(r: HostReading): CheckResult[] {
  const kernel = r.facts.kernel;
  const value = kernel ? bare(kernel) : UNKNOWN;
  const fix = {
    fix: `upgrade the kernel to ${KERNEL_WARN_BELOW.join('.')} or later`,
    fixCn: `请将内核升级到 ${KERNEL_WARN_BELOW.join('.')} 或更高版本`,
  };
  if (kernelBelow(kernel, KERNEL_FAIL_BELOW))
    return [checkResult(r.ip, 'kernel', 'fail', value, { ...KERNEL, ...fix })];
  if (kernelBelow(kernel, KERNEL_WARN_BELOW))
    return [checkResult(r.ip, 'kernel', 'warn', value, { ...KERNEL, ...fix })];
  return [checkResult(r.ip, 'kernel', 'pass', value, KERNEL)];
}
