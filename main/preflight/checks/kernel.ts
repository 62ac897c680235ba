import { bare, checkResult, worded } from '../result.js';
import type { HostReading } from '../reading.js';
import type { CheckResult } from '../types.js';
import { REQUIRED_MODULES, REQUIRED_SYSCTLS } from '../thresholds.js';

/** Each module the container runtime and kube-proxy need: loaded now, and loaded at boot. */
export function checkModules(r: HostReading): CheckResult[] {
  return REQUIRED_MODULES.map((name) => {
    const id = `module.${name}`;
    const text = { label: `Kernel module ${name}`, labelCn: `内核模块 ${name}` };
    const loaded = r.facts.modules.includes(name);
    const atBoot = r.facts.persistedModules.includes(name);
    if (!loaded) {
      return checkResult(
        r.ip,
        id,
        'fail',
        worded('not loaded', '未加载'),
        {
          ...text,
          fix: `load it (modprobe ${name}) and list it in /etc/modules-load.d; the fix action does both`,
          fixCn: `请加载该模块（modprobe ${name}）并写入 /etc/modules-load.d；“修复”操作会完成这两步`,
        },
        true,
      );
    }
    if (!atBoot) {
      return checkResult(
        r.ip,
        id,
        'warn',
        worded('loaded, but not at boot', '已加载，但开机时不会加载'),
        {
          ...text,
          fix: `list it in /etc/modules-load.d so that it is loaded after a reboot; the fix action does it`,
          fixCn: `请将其写入 /etc/modules-load.d，以便重启后自动加载；“修复”操作会完成此步`,
        },
        true,
      );
    }
    return checkResult(r.ip, id, 'pass', worded('loaded', '已加载'), text);
  });
}

/** Each sysctl Kubernetes networking needs, now and at boot. The bridge keys only exist while
 * br_netfilter is loaded. */
export function checkSysctls(r: HostReading): CheckResult[] {
  return Object.entries(REQUIRED_SYSCTLS).map(([key, want]) => {
    const id = `sysctl.${key}`;
    const text = { label: `sysctl ${key}`, labelCn: `内核参数 ${key}` };
    const now = r.facts.sysctls[key];
    const atBoot = r.facts.persistedSysctls[key];
    if (now !== want) {
      const value =
        now === undefined
          ? worded('missing (is br_netfilter loaded?)', '不存在（br_netfilter 是否已加载？）')
          : bare(`= ${now}`);
      return checkResult(
        r.ip,
        id,
        'fail',
        value,
        {
          ...text,
          fix: `set ${key} = ${want} in /etc/sysctl.d and apply it (sysctl -p FILE); the fix action does both`,
          fixCn: `请在 /etc/sysctl.d 中设置 ${key} = ${want} 并使其生效（sysctl -p 文件）；“修复”操作会完成这两步`,
        },
        true,
      );
    }
    if (atBoot !== want) {
      return checkResult(
        r.ip,
        id,
        'warn',
        worded(`= ${now}, but not set at boot`, `= ${now}，但开机时不会设置`),
        {
          ...text,
          fix: `set ${key} = ${want} in /etc/sysctl.d so that it survives a reboot; the fix action does it`,
          fixCn: `请在 /etc/sysctl.d 中设置 ${key} = ${want}，以便重启后仍然生效；“修复”操作会完成此步`,
        },
        true,
      );
    }
    return checkResult(r.ip, id, 'pass', bare(`= ${now}`), text);
  });
}
