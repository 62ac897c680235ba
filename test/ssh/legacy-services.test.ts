/**
 * The per-host `legacy_algorithms` opt-in as the services take it: a host scan with facts (the
 * request's `ssh`) and a preflight (an entry's own `ssh` in master_list or node_list), against a
 * lab sshd that speaks only SHA-1 key exchange, CBC ciphers, SHA-1 MACs and ssh-rsa host keys.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostScanResult } from '../../main/contract/results.js';
import { createLab, type Lab } from '../lab/lab.js';
import { discardProduct, startProduct, type Product } from '../deploy/harness.js';

const PW = 'legacy pw';
const OLD_SSHD = [
  'KexAlgorithms diffie-hellman-group14-sha1',
  'Ciphers aes128-cbc',
  'MACs hmac-sha1',
  'HostKeyAlgorithms ssh-rsa',
];

describe('legacy algorithms, opted in per host, through the services', () => {
  let lab: Lab;
  let product: Product;
  let legacy: string;
  let modern: string;

  beforeAll(() => {
    lab = createLab(27, [
      { octet: 11, hostname: 'old-sshd', rootPassword: PW, sshdExtra: OLD_SSHD },
      { octet: 12, hostname: 'new-sshd', rootPassword: PW },
    ]);
    product = startProduct();
    legacy = lab.address(11);
    modern = lab.address(12);
  });

  afterAll(async () => {
    if (product) await discardProduct(product);
    lab?.teardown();
  });

  /** Names the key exchange lists of both sides, in English and in Chinese. */
  function expectBothLists(en: string, cn: string): void {
    expect(en).toContain('no KEX method algorithm in common (ours: ');
    expect(en).toMatch(/ours: [^;]*curve25519-sha256/);
    expect(en).toContain("the server's: diffie-hellman-group14-sha1)");
    expect(en).toContain('enable legacy algorithms for this host');
    expect(cn).toContain('服务器：diffie-hellman-group14-sha1');
  }

  const scan = (ssh: object): Promise<HostScanResult> =>
    product.services.api.hostScan({
      targets: [legacy, modern],
      ssh: { user: 'root', password: PW, ...ssh },
    });

  it('scans without the opt-in: the old host fails naming both algorithm lists', async () => {
    const result = await scan({});
    const [old, fresh] = result.hosts_info;
    expect(old).toMatchObject({
      ip: legacy,
      host_name: '',
      login: { ok: false, code: 'algorithms' },
    });
    expectBothLists(old!.login!.error!, old!.login!.error_cn!);
    expect(fresh).toMatchObject({ ip: modern, host_name: 'new-sshd', login: { ok: true } });
  });

  it('scans with legacy_algorithms: the old host logs in and reports its facts', async () => {
    const result = await scan({ legacy_algorithms: true });
    expect(result.hosts_info.map((h) => [h.ip, h.login?.ok, h.host_name])).toEqual([
      [legacy, true, 'old-sshd'],
      [modern, true, 'new-sshd'],
    ]);
    expect(result.hosts_info[0]!.facts).toMatchObject({ disk_path: '/opt', swap_bytes: 0 });
    expect(result.hosts_info[0]!.host_info.CpuInfo.Cores).toBeGreaterThan(0);
  });

  const preflight = (legacySsh: object | undefined) =>
    product.services.api.preflight({
      master_list: [{ IP: modern }],
      node_list: [{ IP: legacy, ...(legacySsh ? { ssh: legacySsh } : {}) }],
      ssh: { user: 'root', password: PW },
      arch: 'amd64',
    });

  it('fails the preflight of the old host without the opt-in, naming both lists', async () => {
    const result = await preflight(undefined);
    const sshRows = result.results.filter((r) => r.check === 'ssh');
    expect(sshRows.map((r) => [r.host, r.verdict])).toEqual([[legacy, 'fail']]);
    expectBothLists(sshRows[0]!.value, sshRows[0]!.value_cn);
    expect(result.results.some((r) => r.host === modern && r.check === 'os')).toBe(true);
  });

  it('checks the old host once its node_list entry opts in', async () => {
    const result = await preflight({ legacy_algorithms: true });
    expect(result.results.filter((r) => r.check === 'ssh')).toEqual([]);
    for (const host of [legacy, modern]) {
      const os = result.results.find((r) => r.host === host && r.check === 'os');
      expect(os, `an os row for ${host}`).toMatchObject({ verdict: 'pass' });
    }
  });
});
