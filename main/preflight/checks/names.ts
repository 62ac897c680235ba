import { DNS_SUBDOMAIN } from '../../contract/dns-name.js';
import { bare, checkResult, worded, type Measured } from '../result.js';
import type { HostReading } from '../reading.js';
import type { CheckResult } from '../types.js';

const NAME = { label: 'Node name', labelCn: '节点名称' };
const UNIQUE = { label: 'Node name unique', labelCn: '节点名称唯一' };
const ADDRESS = { label: 'Address listed once', labelCn: '地址不重复' };

const ROLES_CN: Record<string, string> = { master: '管理节点', worker: '工作节点' };

/** A host in the plan, reached or not, for the checks that compare hosts. */
export interface PlannedHost {
  ip: string;
  nodeName: string;
  hostname: string;
}

/** The name the node registers with: the plan's, else the hostname lowercased (as kubeadm does). */
export function effectiveNodeName(h: { nodeName: string; hostname: string }): string {
  return h.nodeName || h.hostname.toLowerCase();
}

export function isValidNodeName(name: string): boolean {
  return name.length > 0 && name.length <= 63 && DNS_SUBDOMAIN.test(name);
}

/** The name, and the hostname it was lowercased from when it was. */
function validName(r: HostReading, name: string): Measured {
  if (r.nodeName || name === r.facts.hostname) return bare(name);
  const hostname = r.facts.hostname;
  return worded(
    `${name} (hostname ${hostname}, lowercased)`,
    `${name}（主机名 ${hostname}，已转为小写）`,
  );
}

function invalidName(r: HostReading, name: string): Measured {
  return r.nodeName
    ? worded(
        `"${name}" (from the plan) is not a valid node name`,
        `“${name}”（计划中的）不是有效的节点名称`,
      )
    : worded(
        `"${name}" (the hostname) is not a valid node name`,
        `“${name}”（主机名）不是有效的节点名称`,
      );
}

/** The node name must be a DNS subdomain in lower case, or the kubelet cannot register. */
export function checkNodeName(r: HostReading): CheckResult[] {
  const name = effectiveNodeName({ nodeName: r.nodeName, hostname: r.facts.hostname });
  if (isValidNodeName(name))
    return [checkResult(r.ip, 'hostname', 'pass', validName(r, name), NAME)];
  return [
    checkResult(r.ip, 'hostname', 'fail', invalidName(r, name), {
      ...NAME,
      fix: 'use lower-case letters, digits, "-" and "." only, at most 63 characters: set NodeName in the plan, or rename the host (hostnamectl set-hostname NAME)',
      fixCn:
        '只能使用小写字母、数字、“-”和“.”，最多 63 个字符：请在计划中设置 NodeName，或修改主机名（hostnamectl set-hostname 名称）',
    }),
  ];
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

/** Two nodes with one name make the second join overwrite the first: name the clashing hosts. */
export function checkUniqueNames(hosts: PlannedHost[]): CheckResult[] {
  const named = hosts.filter((h) => effectiveNodeName(h) !== '');
  const groups = groupBy(named, effectiveNodeName);
  const seen = new Set<string>();
  return named
    .filter((h) => !seen.has(h.ip) && seen.add(h.ip))
    .map((h) => {
      const name = effectiveNodeName(h);
      const others = (groups.get(name) ?? []).filter((o) => o.ip !== h.ip).map((o) => o.ip);
      if (others.length === 0)
        return checkResult(h.ip, 'hostname.unique', 'pass', bare(name), UNIQUE);
      return checkResult(
        h.ip,
        'hostname.unique',
        'fail',
        worded(
          `${name} is also the name of ${others.join(', ')}`,
          `${name} 也是 ${others.join('、')} 的名称`,
        ),
        {
          ...UNIQUE,
          fix: `give each of ${[h.ip, ...others].join(', ')} its own NodeName in the plan, or rename the hosts`,
          fixCn: `请在计划中为 ${[h.ip, ...others].join('、')} 分别设置不同的 NodeName，或修改主机名`,
        },
      );
    });
}

/** An address listed twice (as master and worker, say) would be installed twice. */
export function checkUniqueAddresses(hosts: { ip: string; role: string }[]): CheckResult[] {
  const groups = groupBy(hosts, (h) => h.ip);
  return [...groups.entries()].map(([ip, entries]) => {
    if (entries.length === 1)
      return checkResult(
        ip,
        'address.unique',
        'pass',
        worded('listed once', '只列出一次'),
        ADDRESS,
      );
    const roles = entries.map((e) => e.role);
    const value = worded(
      `listed ${entries.length} times (${roles.join(' and ')})`,
      `列出了 ${entries.length} 次（${roles.map((role) => ROLES_CN[role] ?? role).join('和')}）`,
    );
    return checkResult(ip, 'address.unique', 'fail', value, {
      ...ADDRESS,
      fix: `list ${ip} once in the plan, as a master or as a worker`,
      fixCn: `请在计划中只列出 ${ip} 一次，作为管理节点或工作节点`,
    });
  });
}
