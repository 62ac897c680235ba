import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostInfo, HostScanResult } from '../../main/contract/results.js';
import type { ServiceContext } from '../../main/context.js';
import { createLab, type Lab } from '../lab/lab.js';
import { keyPair, recordEvents, removeContext, scanApi, testContext } from './harness.js';
import { rejection } from '../support/errors.js';

const PW = 'scan pw!';
const MEM_KB = 2_000_000;
const OS_RELEASE =
  'NAME="Rocky Linux"\nID="rocky"\nVERSION_ID="9.3"\nPRETTY_NAME="Rocky Linux 9.3 (Blue Onyx)"\n';
const KUBELET = '#!/bin/sh\necho "Kubernetes v1.29.4"\n';
const CONTAINERD =
  '#!/bin/sh\necho "containerd github.com/containerd/containerd v1.7.13 7c3aca7"\n';

/** What this machine's facts are, as every lab host shares its CPUs, memory and /etc. */
const machine = {
  cpus: Number(execFileSync('nproc', { encoding: 'utf8' }).trim()),
  memBytes: Number(/^MemTotal:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'))![1]) * 1024,
  osId: /^ID=(.*)$/m.exec(readFileSync('/etc/os-release', 'utf8'))![1]!.replace(/"/g, ''),
};

/** Kernel, architecture and runtime of one lab host, unlike the build machine's: the uname
 * stand-in answers for the kernel, and CRI-O is the only runtime on its PATH. */
const ARM_KERNEL = '5.14.0-362.8.1.el9_3.aarch64';
const ARM_UNAME = `kernel-release=${ARM_KERNEL}\nmachine=aarch64\n`;
const CRIO = '#!/bin/sh\necho "crio version 1.29.1"\necho "Version:  1.29.1"\n';
const OTHER_RUNTIMES =
  'for d in /usr/local/sbin /usr/local/bin /usr/sbin /usr/bin /sbin /bin; do rm -f $d/containerd $d/docker; done';

function byIp(result: HostScanResult, ip: string): HostInfo {
  const host = result.hosts_info.find((h) => h.ip === ip);
  if (!host) throw new Error(`${ip} not in the scan result`);
  return host;
}

describe('host scan over a lab /24', () => {
  let lab: Lab;
  let edge: Lab;
  let ctx: ServiceContext;
  let api: ReturnType<typeof scanApi>;
  const key = keyPair('scan-key');
  const ip = (octet: number) => `198.18.30.${octet}`;

  beforeAll(() => {
    lab = createLab(30, [
      {
        octet: 11,
        hostname: 'scan-pw',
        rootPassword: PW,
        auth: { password: true },
        files: { '/var/lib/topke-standin/uname': ARM_UNAME, '/usr/local/bin/crio': CRIO },
      },
      { octet: 12, hostname: 'scan-key', rootKeys: [key.publicKey], auth: { pubkey: true } },
      { octet: 13, hostname: 'scan-both', rootPassword: PW, rootKeys: [key.publicKey] },
      { octet: 14, hostname: 'scan-port', rootPassword: PW, sshPort: 2222 },
      { octet: 15, service: 'none' },
      { octet: 16, service: 'tarpit' },
      { octet: 17, service: 'http' },
      {
        octet: 18,
        hostname: 'scan-small',
        rootPassword: PW,
        cpus: '0',
        procFiles: { meminfo: `MemTotal:        ${MEM_KB} kB\nMemFree:          900000 kB\n` },
      },
      {
        octet: 19,
        hostname: 'scan-rocky',
        rootPassword: PW,
        files: {
          '/etc/os-release': OS_RELEASE,
          '/usr/local/bin/kubelet': KUBELET,
          '/usr/local/bin/containerd': CONTAINERD,
        },
      },
      { octet: 20, hostname: 'scan-t', rootPassword: PW },
      { octet: 21, hostname: 'scan-u', rootPassword: PW },
      { octet: 22, hostname: 'scan-v', rootPassword: PW },
      { octet: 23, hostname: 'scan-fw', rootPassword: PW, silentTcpPorts: [22, 2222] },
      { octet: 254, hostname: 'edge-a', rootPassword: PW },
    ]);
    lab.host(19).exec('chmod 755 /usr/local/bin/kubelet /usr/local/bin/containerd');
    lab.host(11).exec(`chmod 755 /usr/local/bin/crio; ${OTHER_RUNTIMES}`);
    edge = createLab(31, [{ octet: 1, hostname: 'edge-b', rootPassword: PW }]);
    ctx = testContext();
    api = scanApi(ctx);
  });

  afterAll(async () => {
    await api?.close();
    if (ctx) removeContext(ctx);
    lab?.teardown();
    edge?.teardown();
  });

  describe('with a password', () => {
    let result: HostScanResult;
    let events: ReturnType<typeof recordEvents>;

    beforeAll(async () => {
      events = recordEvents(ctx);
      result = await api.call('hostScan', {
        begin: ip(1),
        end: ip(40),
        ssh: { user: 'root', password: PW },
        ssh_ports: [22, 2222],
      });
      events.stop();
    });

    it('finds exactly the addresses where something answers', () => {
      expect(result.hosts_info.map((h) => h.ip)).toEqual(
        [11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23].map(ip),
      );
      expect(result.total_count).toBe(13);
      expect(result).toMatchObject({ scanned: 40, addresses: 40, state: 'done' });
    });

    it('reads the facts of a host it logs in to, as the host reports them', () => {
      const h = byIp(result, ip(11));
      expect(h).toMatchObject({
        alive: true,
        host_name: 'scan-pw',
        ssh: { port: 22, state: 'open' },
        login: { ok: true },
        host_info: {
          CpuInfo: { Cores: machine.cpus },
          VirtualMemoryInfo: { Total: machine.memBytes },
        },
        facts: {
          arch: 'arm64',
          kernel: ARM_KERNEL,
          os: machine.osId,
          container_runtime: 'crio version 1.29.1',
          kubelet: null,
          disk_path: '/opt',
          swap_bytes: 0,
        },
      });
      expect(h.ssh.banner).toMatch(/^SSH-2\.0-OpenSSH_/);
      expect(h.version).toContain(`${ARM_KERNEL} linux/arm64`);
      expect(h.facts!.disk_free_bytes).toBeGreaterThan(0);
      expect(Math.abs(h.facts!.clock! - Date.now())).toBeLessThan(120_000);
      expect(Math.abs(h.facts!.clock_skew_ms!)).toBeLessThan(2_000);
    });

    it('reports a refused login with the SSH layer’s reason', () => {
      const h = byIp(result, ip(12));
      expect(h).toMatchObject({ alive: true, host_name: '', ssh: { state: 'open' } });
      expect(h.login).toMatchObject({ ok: false, code: 'auth' });
      expect(h.login!.error).toContain('authentication failed');
      expect(h.login!.error_cn).toContain('认证失败');
      expect(JSON.stringify(h)).not.toContain(PW);
    });

    it('finds sshd on another port among the ports given', () => {
      expect(byIp(result, ip(14))).toMatchObject({
        host_name: 'scan-port',
        ssh: { port: 2222, state: 'open' },
        login: { ok: true },
      });
    });

    it('tells refused, silent (a tarpit) and not-SSH ports apart', () => {
      expect(byIp(result, ip(15))).toMatchObject({
        alive: true,
        ssh: { port: 22, state: 'refused' },
      });
      expect(byIp(result, ip(16))).toMatchObject({
        alive: true,
        ssh: { port: 22, state: 'silent' },
      });
      expect(byIp(result, ip(17))).toMatchObject({
        alive: true,
        ssh: { port: 22, state: 'not_ssh' },
      });
      for (const octet of [15, 16, 17]) expect(byIp(result, ip(octet)).login).toBeUndefined();
    });

    it('reports a port behind a dropping firewall as filtered, the host alive by ICMP', () => {
      expect(byIp(result, ip(23))).toEqual({
        ip: ip(23),
        host_name: '',
        version: '',
        host_info: { CpuInfo: { Cores: 0 }, VirtualMemoryInfo: { Total: 0 } },
        alive: true,
        ssh: { port: 22, state: 'filtered' },
      });
    });

    it('reads CPUs, memory, OS and an installed kubelet and runtime as the lab made them', () => {
      expect(byIp(result, ip(18)).host_info).toEqual({
        CpuInfo: { Cores: 1 },
        VirtualMemoryInfo: { Total: MEM_KB * 1024 },
      });
      expect(byIp(result, ip(19))).toMatchObject({
        host_name: 'scan-rocky',
        facts: {
          os: 'rocky',
          os_version: '9.3',
          kubelet: 'Kubernetes v1.29.4',
          container_runtime: 'containerd github.com/containerd/containerd v1.7.13 7c3aca7',
        },
      });
      expect(byIp(result, ip(19)).version).toMatch(/^Rocky Linux 9\.3 \(Blue Onyx\) /);
    });

    it('streams progress: every host found, and a last event with the totals', () => {
      const scanEvents = events.events.filter((e) => e.kind === 'scan');
      expect(scanEvents.every((e) => e.kind === 'scan' && e.scan_uuid === result.scan_uuid)).toBe(
        true,
      );
      const found = scanEvents.flatMap((e) => (e.kind === 'scan' && e.host ? [e.host.ip] : []));
      expect(found.sort()).toEqual(result.hosts_info.map((h) => h.ip).sort());
      expect(scanEvents.at(-1)).toMatchObject({
        finished: true,
        state: 'done',
        done: 40,
        total: 40,
        found: 13,
      });
      const dones = scanEvents.map((e) => (e.kind === 'scan' ? e.done : 0));
      expect(dones).toEqual([...dones].sort((a, b) => a - b));
    });

    it('saves the scan without its secrets, to be read again later', async () => {
      const again = await api.call('scanStatus', { scan_uuid: result.scan_uuid });
      expect(again).toEqual(result);
      const latest = await api.call('scanStatus', {});
      expect(latest.scan_uuid).toBe(result.scan_uuid);
      const row = ctx.db
        .prepare('SELECT request, state, done, found FROM scans WHERE uuid = ?')
        .get(result.scan_uuid) as { request: string; state: string; done: number; found: number };
      expect(row).toMatchObject({ state: 'done', done: 40, found: 13 });
      expect(row.request).not.toContain(PW);
      expect(JSON.parse(row.request)).toMatchObject({ ssh: { user: 'root', port: 22 } });
    });
  });

  it('logs in with a key where the key is authorised', async () => {
    const result = await api.call('hostScan', {
      targets: [`${ip(11)}-13`],
      ssh: { user: 'root', private_key: key.privateKey },
    });
    expect(result.hosts_info.map((h) => [h.ip, h.login?.ok, h.host_name])).toEqual([
      [ip(11), false, ''],
      [ip(12), true, 'scan-key'],
      [ip(13), true, 'scan-both'],
    ]);
    expect(byIp(result, ip(11)).login!.code).toBe('auth');
  });

  it('logs in over the connection that found the banner: one connection per host', async () => {
    const host = lab.host(20);
    const before = host.sshdLog().length;
    // A long timeout, so that even a slow sshd sends its banner before the probe would speak.
    const result = await api.call('hostScan', {
      targets: [ip(20), ip(21)],
      ssh: { user: 'root', password: PW },
      timeout_ms: 5000,
    });
    expect(result.hosts_info.map((h) => [h.ip, h.login?.ok, h.host_name])).toEqual([
      [ip(20), true, 'scan-t'],
      [ip(21), true, 'scan-u'],
    ]);
    const log = host.sshdLog().slice(before);
    expect(log.match(/^.*Connection from 198\.18\.0\.2 port \d+ on /gm)).toHaveLength(1);
    expect(log).toMatch(/Accepted password for root from 198\.18\.0\.2/);
  });

  it('scans a range across a /24 boundary', async () => {
    const result = await api.call('hostScan', { begin: '198.18.30.250', end: '198.18.31.5' });
    expect(result.scanned).toBe(12);
    expect(result.hosts_info.map((h) => h.ip)).toEqual(['198.18.30.254', '198.18.31.1']);
    expect(result.hosts_info[0]).toMatchObject({
      alive: true,
      host_name: '',
      ssh: { state: 'open' },
    });
    expect(result.hosts_info[0]!.login).toBeUndefined();
  });

  it('takes a CIDR with exclusions', async () => {
    const result = await api.call('hostScan', {
      cidr: '198.18.30.8/29',
      exclude: ['198.18.30.12-14'],
      timeout_ms: 500,
    });
    expect(result.addresses).toBe(3);
    expect(result.hosts_info.map((h) => h.ip)).toEqual([ip(11)]);
  });

  it('follows and cancels a running scan, and keeps what it found', async () => {
    const scan_uuid = '0b9c9d0e-0000-4000-8000-00000000c0de';
    const started = await api.call('hostScan', {
      targets: ['198.19.0.0/22', ip(11)],
      wait: false,
      concurrency: 8,
      scan_uuid,
    });
    expect(started).toMatchObject({ scan_uuid, state: 'running', addresses: 1023 });
    const taken = await rejection(api.call('hostScan', { targets: [ip(11)], scan_uuid }));
    expect(taken).toMatchObject({ code: 'conflict', field: 'scan_uuid' });
    const status = await api.call('scanStatus', { scan_uuid });
    expect(status.state).toBe('running');
    const cancelled = await api.call('scanCancel', { scan_uuid });
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.scanned).toBeLessThan(1023);
    const stored = ctx.db
      .prepare('SELECT state, finished_at FROM scans WHERE uuid = ?')
      .get(scan_uuid);
    expect(stored).toMatchObject({ state: 'cancelled' });
    expect(await api.call('scanCancel', { scan_uuid })).toMatchObject({ state: 'cancelled' });
  });

  it('marks a scan left running by a stopped process as interrupted', async () => {
    const first = await api.call('hostScan', {
      cidr: '198.19.1.0/24',
      wait: false,
      concurrency: 4,
    });
    const other = scanApi(ctx);
    const seen = await other.call('scanStatus', { scan_uuid: first.scan_uuid });
    expect(seen.state).toBe('interrupted');
    await api.call('scanCancel', { scan_uuid: first.scan_uuid });
    await other.close();
  });

  it('answers an unknown scan with not_found naming scan_uuid', async () => {
    const e = await rejection(
      api.call('scanStatus', { scan_uuid: '11111111-2222-4333-8444-555555555555' }),
    );
    expect(e).toMatchObject({ code: 'not_found', field: 'scan_uuid' });
  });

  it('refuses malformed ranges before probing anything', async () => {
    const e = await rejection(api.call('hostScan', { begin: '198.18.30.9', end: '198.18.30.1' }));
    expect(e).toMatchObject({ code: 'invalid_field', field: 'end' });
    const v6 = await rejection(api.call('hostScan', { begin: 'fd00::1', end: 'fd00::2' }));
    expect(v6.message).toContain('only IPv4 is supported');
    expect(v6.messageCn).toContain('只支持 IPv4');
  });
});
