import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { renderScanProgress } from '../../main/cli/scan-progress.js';
import { parseFactLines } from '../../main/scan/host-facts-parse.js';

describe('fact script output', () => {
  it('parses every kind of line', () => {
    const facts = parseFactLines(
      [
        'clock_ms=1700000000123',
        'hostname=node-a',
        'nproc=4',
        'uname_s=Linux',
        'kernel=5.15.0-91-generic',
        'machine=aarch64',
        'os_id="ubuntu"',
        'os_version="22.04"',
        'os_name="Ubuntu 22.04.3 LTS"',
        'mem_kb=8000000',
        'swap=/swap.img 2097148',
        'fstab_swap=/swap.img',
        'module=overlay',
        'builtin_module=br_netfilter',
        'persist_module=overlay',
        'sysctl=net.ipv4.ip_forward=1',
        'persist_sysctl=net/ipv4/ip_forward=1',
        'listen=00000000:0016',
        'listen=00000000000000000000000000000000:1A0B',
        'listen=0100007F:0016',
        'disk_path=/opt',
        'disk_free=123456789',
        'kube_file=/etc/kubernetes/kubelet.conf',
        'bin=kubelet=/usr/bin/kubelet',
        'version=kubelet=Kubernetes v1.28.2',
      ].join('\n'),
    );
    expect(facts).toEqual({
      hostname: 'node-a',
      cpus: 4,
      memBytes: 8_000_000 * 1024,
      unameS: 'Linux',
      kernel: '5.15.0-91-generic',
      machine: 'aarch64',
      arch: 'arm64',
      osId: 'ubuntu',
      osVersion: '22.04',
      osName: 'Ubuntu 22.04.3 LTS',
      clockMs: 1700000000123,
      swaps: [{ device: '/swap.img', bytes: 2097148 * 1024 }],
      fstabSwap: ['/swap.img'],
      modules: ['overlay', 'br_netfilter'],
      persistedModules: ['overlay'],
      sysctls: { 'net.ipv4.ip_forward': '1' },
      persistedSysctls: { 'net.ipv4.ip_forward': '1' },
      listeningPorts: [22, 6667],
      diskPath: '/opt',
      diskFreeBytes: 123456789,
      kubeFiles: ['/etc/kubernetes/kubelet.conf'],
      binaries: { kubelet: '/usr/bin/kubelet' },
      versions: { kubelet: 'Kubernetes v1.28.2' },
    });
  });

  it('ignores what it does not know, including keys a hostile host might print', () => {
    const facts = parseFactLines('__proto__=x\nconstructor=y\ntoString=z\nnproc=many\n=1\nnoise\n');
    expect(facts.cpus).toBeNull();
    expect(facts.hostname).toBe('');
    expect(Object.getPrototypeOf(facts)).toBe(Object.prototype);
  });
});

describe('scan progress on stderr', () => {
  it('draws a bar and ends with a summary line', () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (d: Buffer) => (text += d.toString()));
    const stream = Object.assign(out, { isTTY: false }) as unknown as NodeJS.WriteStream & {
      fd: 2;
    };
    const event = {
      kind: 'scan' as const,
      scan_uuid: 'u1',
      total: 10,
      found: 0,
      done: 0,
      retrying: 0,
      unprobed: 0,
    };
    renderScanProgress(event, stream);
    renderScanProgress({ ...event, done: 5, found: 1 }, stream);
    renderScanProgress({ ...event, done: 10, found: 2, finished: true, state: 'done' }, stream);
    expect(text).toMatch(/scan \[[^\]]*\] 10\/10 addresses, 2 found/);
    expect(text.trim().split('\n').at(-1)).toBe(
      'scan done: 10 of 10 addresses checked, 2 hosts found',
    );
  });

  it('ends with the addresses the scan could not probe', () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (d: Buffer) => (text += d.toString()));
    const stream = Object.assign(out, { isTTY: false }) as unknown as NodeJS.WriteStream & {
      fd: 2;
    };
    const event = { kind: 'scan' as const, scan_uuid: 'u2', total: 8, found: 1, done: 8 };
    renderScanProgress(
      { ...event, retrying: 0, unprobed: 3, finished: true, state: 'done' },
      stream,
    );
    expect(text.trim().split('\n').at(-1)).toBe(
      "scan done: 8 of 8 addresses checked, 1 host found; 3 of them could not be probed (the kernel's neighbour table was full): scan again",
    );
  });
});
