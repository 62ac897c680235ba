import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceContext } from '../../main/context.js';
import type { Envelope } from '../../main/contract/envelope.js';
import { requireBuiltCli, runTopke, type CliRun } from '../support/cli.js';
import { createLab, type Lab } from '../lab/lab.js';
import { rejection } from '../support/errors.js';
import { removeContext, scanApi, testContext } from './harness.js';

describe('VIP test', () => {
  let lab: Lab;
  let ctx: ServiceContext;
  let api: ReturnType<typeof scanApi>;
  const ip = (octet: number) => `198.18.33.${octet}`;

  beforeAll(() => {
    lab = createLab(33, [
      { octet: 11, hostname: 'vip-ssh', rootPassword: 'x' },
      { octet: 12, service: 'none' },
      { octet: 13, service: 'http', sshPort: 8443 },
    ]);
    ctx = testContext();
    api = scanApi(ctx);
  });

  afterAll(async () => {
    await api?.close();
    if (ctx) removeContext(ctx);
    lab?.teardown();
  });

  it('answers null for an address where nothing answers', async () => {
    expect(await api.call('vipTest', { vip: ip(99), port: 8443 })).toBeNull();
  });

  it('reports a VIP that answers ping and refuses the port as in use, naming both', async () => {
    const e = await rejection(api.call('vipTest', { vip: ip(12), port: 8443 }));
    expect(e).toMatchObject({ code: 'vip_in_use', field: 'vip', scode: 409 });
    expect(e.message).toContain(ip(12));
    expect(e.message).toContain('it answers ping');
    expect(e.message).toContain('refused port 8443');
    expect(e.messageCn).toContain('已被占用');
  });

  it('reports a VIP whose port accepts connections', async () => {
    const e = await rejection(api.call('vipTest', { vip: ip(13), port: 8443 }));
    expect(e.code).toBe('vip_in_use');
    expect(e.message).toContain('port 8443 accepts connections');
    const ssh = await rejection(api.call('vipTest', { vip: ip(11), port: 22 }));
    expect(ssh.message).toContain('port 22 accepts connections');
  });

  it('refuses port 6443 and malformed VIPs and ports with the field named', async () => {
    const cases: [unknown, string, RegExp][] = [
      [{ vip: ip(99), port: 6443 }, 'port', /6443/],
      [{ vip: '198.18.33.300', port: 8443 }, 'vip', /IPv4/],
      [{ vip: 'fd00::1', port: 8443 }, 'vip', /IPv4/],
      [{ vip: ip(99), port: 0 }, 'port', /between 1 and 65535/],
      [{ vip: ip(99), port: 70000 }, 'port', /between 1 and 65535/],
      [{ vip: ip(99), port: 'abc' }, 'port', /number/],
      [{ port: 8443 }, 'vip', /required/],
      [{ vip: '0.0.0.0', port: 8443 }, 'vip', /"this network" \(0\.0\.0\.0\/8\): no host/],
      [{ vip: '127.0.0.1', port: 8443 }, 'vip', /loopback/],
      [{ vip: '224.0.0.1', port: 8443 }, 'vip', /multicast/],
      [{ vip: '255.255.255.255', port: 8443 }, 'vip', /reserved/],
    ];
    for (const [input, field, words] of cases) {
      const e = await rejection(api.call('vipTest', input));
      expect(e.code, JSON.stringify(input)).toBe('invalid_field');
      expect(e.field, JSON.stringify(input)).toBe(field);
      expect(e.message, JSON.stringify(input)).toMatch(words);
      expect(e.messageCn, JSON.stringify(input)).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('refuses the network and broadcast addresses of the network this machine is on', async () => {
    // The test namespace's operator address is 198.18.0.2/15.
    for (const [vip, which, cn] of [
      ['198.18.0.0', 'network', '网络地址'],
      ['198.19.255.255', 'broadcast', '广播地址'],
    ]) {
      const e = await rejection(api.call('vipTest', { vip, port: 8443 }));
      expect(e).toMatchObject({
        code: 'invalid_field',
        field: 'vip',
        message: `vip: ${vip} is the ${which} address of 198.18.0.0/15, a network this machine is on: no host can have it`,
        messageCn: `vip：${vip} 是本机所在网络 198.18.0.0/15 的${cn}，不能作为主机地址`,
      });
    }
  });

  describe('topke vip-test VIP PORT', () => {
    const envelope = (run: CliRun) => JSON.parse(run.stdout) as Envelope<null>;
    const vipTest = (vip: string, port: string) =>
      runTopke(['vip-test', vip, port, '--data-dir', ctx.dataDir]);

    it('exits 0 with the envelope of a free VIP', async () => {
      requireBuiltCli();
      const run = await vipTest(ip(98), '8443');
      expect(run.code).toBe(0);
      expect(envelope(run)).toMatchObject({ scode: 0, data: null });
    });

    it('exits non-zero for a VIP in use, and for port 6443, naming VIP and PORT', async () => {
      const used = await vipTest(ip(13), '8443');
      expect(used.code).not.toBe(0);
      expect(envelope(used)).toMatchObject({
        scode: 409,
        data: null,
        error: { code: 'vip_in_use', field: 'VIP' },
        message: expect.stringMatching(/^VIP: .*port 8443 accepts connections/),
        message_cn: expect.stringMatching(/^VIP：/),
      });
      const reserved = await vipTest(ip(98), '6443');
      expect(reserved.code).not.toBe(0);
      expect(envelope(reserved)).toMatchObject({ error: { field: 'PORT' } });
      expect(envelope(reserved).message_cn).toMatch(/6443/);
    });
  });
});
