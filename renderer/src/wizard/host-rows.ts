import type { HostInfo } from '../../../main/contract/results.js';
import { compareIp } from './form.js';

/** One line of the wizard's host table. */
export interface HostRow {
  ip: string;
  hostname: string;
  cores: number;
  memory: number;
  os: string;
  ssh: HostInfo['ssh']['state'] | 'unknown';
  login: HostInfo['login'];
  /** The host presented another SSH key than the recorded one. */
  keyChanged: boolean;
  manual: boolean;
}

function osOf(host: HostInfo): string {
  const f = host.facts;
  return [f?.os, f?.os_version].filter(Boolean).join(' ');
}

function fromScan(host: HostInfo, manual: boolean): HostRow {
  return {
    ip: host.ip,
    hostname: host.host_name,
    cores: host.host_info.CpuInfo.Cores,
    memory: host.host_info.VirtualMemoryInfo.Total,
    os: osOf(host),
    ssh: host.ssh.state,
    login: host.login,
    keyChanged: !!host.facts?.host_key?.known_fingerprint,
    manual,
  };
}

function bare(ip: string): HostRow {
  return {
    ip,
    hostname: '',
    cores: 0,
    memory: 0,
    os: '',
    ssh: 'unknown',
    login: undefined,
    keyChanged: false,
    manual: true,
  };
}

/** The scan's hosts and the ones added by hand (with what a probe learned of them), by address. */
export function hostRows(scanned: HostInfo[], manual: string[]): HostRow[] {
  const byIp = new Map<string, HostRow>();
  for (const host of scanned) byIp.set(host.ip, fromScan(host, manual.includes(host.ip)));
  for (const ip of manual) if (!byIp.has(ip)) byIp.set(ip, bare(ip));
  return [...byIp.values()].sort((a, b) => compareIp(a.ip, b.ip));
}
