import { bare, checkResult, formatBytes, UNKNOWN, worded } from '../result.js';
import type { HostReading, CheckContext } from '../reading.js';
import type { CheckResult } from '../types.js';
import {
  LOW_DISK_FREE_BYTES,
  LOW_MEMORY_WORKER_MIB,
  MIN_CPUS_MASTER,
  MIN_DISK_FREE_BYTES,
  MIN_MEMORY_MASTER_MIB,
} from '../thresholds.js';

const CPU = { label: 'CPUs', labelCn: 'CPU 核数' };
const MEMORY = { label: 'Memory', labelCn: '内存' };
const DISK = { label: 'Free disk', labelCn: '可用磁盘空间' };

/** kubeadm refuses a control-plane node with fewer than 2 CPUs. */
export function checkCpu(r: HostReading): CheckResult[] {
  const cpus = r.facts.cpus;
  if (cpus === null)
    return [
      checkResult(r.ip, 'cpu', 'warn', UNKNOWN, {
        ...CPU,
        fix: 'nproc gave no answer',
        fixCn: 'nproc 没有输出',
      }),
    ];
  const value = worded(`${cpus} CPU${cpus === 1 ? '' : 's'}`, `${cpus} 个 CPU`);
  if (r.role === 'master' && cpus < MIN_CPUS_MASTER) {
    return [
      checkResult(r.ip, 'cpu', 'fail', value, {
        ...CPU,
        fix: `a control-plane node needs at least ${MIN_CPUS_MASTER} CPUs: give the machine more CPUs, or make it a worker`,
        fixCn: `管理节点至少需要 ${MIN_CPUS_MASTER} 个 CPU：请为该机器增加 CPU，或将其作为工作节点`,
      }),
    ];
  }
  return [checkResult(r.ip, 'cpu', 'pass', value, CPU)];
}

/** kubeadm refuses a control-plane node with less than 1700 MiB; a small worker gets a warning. */
export function checkMemory(r: HostReading): CheckResult[] {
  const bytes = r.facts.memBytes;
  if (bytes === null)
    return [
      checkResult(r.ip, 'memory', 'warn', UNKNOWN, {
        ...MEMORY,
        fix: '/proc/meminfo has no MemTotal',
        fixCn: '/proc/meminfo 中没有 MemTotal',
      }),
    ];
  const mib = bytes / 1024 ** 2;
  const value = bare(formatBytes(bytes));
  if (r.role === 'master' && mib < MIN_MEMORY_MASTER_MIB) {
    return [
      checkResult(r.ip, 'memory', 'fail', value, {
        ...MEMORY,
        fix: `a control-plane node needs at least ${MIN_MEMORY_MASTER_MIB} MiB of memory: add memory, or make it a worker`,
        fixCn: `管理节点至少需要 ${MIN_MEMORY_MASTER_MIB} MiB 内存：请增加内存，或将其作为工作节点`,
      }),
    ];
  }
  if (r.role === 'worker' && mib < LOW_MEMORY_WORKER_MIB) {
    return [
      checkResult(r.ip, 'memory', 'warn', value, {
        ...MEMORY,
        fix: `less than ${LOW_MEMORY_WORKER_MIB} MiB leaves little room for pods: add memory`,
        fixCn: `内存少于 ${LOW_MEMORY_WORKER_MIB} MiB，可运行的 Pod 很少：请增加内存`,
      }),
    ];
  }
  return [checkResult(r.ip, 'memory', 'pass', value, MEMORY)];
}

/** Free space where the bundle is unpacked (the nearest existing parent of the install folder). */
export function checkDisk(r: HostReading, ctx: CheckContext): CheckResult[] {
  const free = r.facts.diskFreeBytes;
  const where = r.facts.diskPath || ctx.installDir;
  if (free === null) {
    return [
      checkResult(r.ip, 'disk', 'warn', worded(`unknown on ${where}`, `${where} 上未知`), {
        ...DISK,
        fix: `df gave no answer for ${where}`,
        fixCn: `df 无法读取 ${where}`,
      }),
    ];
  }
  const value = worded(
    `${formatBytes(free)} free on ${where}`,
    `${where} 上可用 ${formatBytes(free)}`,
  );
  const text = {
    ...DISK,
    fix: `free space on ${where} (the bundle goes to ${ctx.installDir}): at least ${formatBytes(MIN_DISK_FREE_BYTES)} is needed, ${formatBytes(LOW_DISK_FREE_BYTES)} recommended`,
    fixCn: `请释放 ${where} 上的空间（安装包将放在 ${ctx.installDir}）：至少需要 ${formatBytes(MIN_DISK_FREE_BYTES)}，建议 ${formatBytes(LOW_DISK_FREE_BYTES)}`,
  };
  if (free < MIN_DISK_FREE_BYTES) return [checkResult(r.ip, 'disk', 'fail', value, text)];
  if (free < LOW_DISK_FREE_BYTES) return [checkResult(r.ip, 'disk', 'warn', value, text)];
  return [checkResult(r.ip, 'disk', 'pass', value, DISK)];
}
