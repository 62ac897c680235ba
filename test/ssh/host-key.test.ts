import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SshTarget } from '../../main/ssh/types.js';
import { createLab, type Lab } from '../lab/lab.js';
import { createSshFixture, expectSshError, type SshFixture } from './helpers.js';

describe('host keys', () => {
  let lab: Lab;
  let fx: SshFixture;
  let target: SshTarget;
  const fingerprint = (hostKey: string): string => {
    const file = join(fx.dir, 'key.pub');
    writeFileSync(file, `${hostKey}\n`);
    return execFileSync('ssh-keygen', ['-lf', file], { encoding: 'utf8' }).split(' ')[1]!;
  };
  /** Gives the host new host keys: sshd re-reads them on SIGHUP. Waits until it serves the new
   * key, as ssh-keyscan sees it. */
  const rekey = async (): Promise<string> => {
    const host = lab.host(11);
    // sshd rewrites its command line into one string: "sshd: /usr/sbin/sshd -f CONFIG ...".
    const cmdline = readFileSync(`/proc/${host.sshdPid}/cmdline`, 'utf8');
    const config = /-f (\S+)/.exec(cmdline)![1]!;
    const keyFile = join(dirname(config), 'ssh_host_ed25519_key');
    rmSync(keyFile);
    rmSync(`${keyFile}.pub`);
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', keyFile]);
    const fresh = host.hostKey();
    process.kill(host.sshdPid!, 'SIGHUP');
    for (let i = 0; i < 200; i++) {
      const scan = spawnSync('ssh-keyscan', ['-t', 'ed25519', '-T', '1', host.ip], {
        encoding: 'utf8',
      });
      if (scan.stdout.includes(fresh.split(' ')[1]!)) return fingerprint(fresh);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('sshd did not take its new host key');
  };

  beforeAll(() => {
    lab = createLab(24, [{ octet: 11, hostname: 'rekeyed', rootPassword: 'hk-pw' }]);
    fx = createSshFixture();
    target = { host: lab.address(11), port: 22, user: 'root', password: 'hk-pw' };
  });
  afterAll(async () => {
    await fx?.cleanup();
    lab?.teardown();
  });

  it('records the key on first contact and matches it afterwards', async () => {
    const first = await fx.pool.session(target);
    const printed = fingerprint(lab.host(11).hostKey());
    expect(first.hostKey).toEqual({
      keyType: 'ssh-ed25519',
      fingerprint: printed,
      firstContact: true,
    });
    const again = await fx.newPool().session(target);
    expect(again.hostKey).toEqual({
      keyType: 'ssh-ed25519',
      fingerprint: printed,
      firstContact: false,
    });
  });

  it('stops all work on a host whose key changed, until the new key is accepted', async () => {
    const recorded = fx.knownHosts.get(target.host, 22)!.fingerprint;
    const open = await fx.pool.session(target);
    const fresh = await rekey();
    expect(fresh).not.toBe(recorded);

    // A second connection meets the new key; from then on the open session does nothing either.
    const err = await expectSshError(
      fx.pool.session({ ...target, legacyAlgorithms: true }),
      'host_key_changed',
      'host_key_changed',
    );
    expect(err.details).toMatchObject({
      hostKey: { keyType: 'ssh-ed25519', fingerprint: fresh, expected: `ssh-ed25519 ${recorded}` },
    });
    expect(err.message).toContain(fresh);
    expect(err.messageCn).toContain('主机密钥已变化');
    await expectSshError(open.exec('true'), 'host_key_changed', 'host_key_changed');
    await expectSshError(
      open.upload(Buffer.from('x'), '/tmp/x'),
      'host_key_changed',
      'host_key_changed',
    );
    await expectSshError(fx.newPool().session(target), 'host_key_changed', 'host_key_changed');
    expect(fx.knownHosts.get(target.host, 22)!.fingerprint).toBe(recorded);

    fx.knownHosts.accept(target.host, 22);
    expect(fx.knownHosts.get(target.host, 22)!.fingerprint).toBe(fresh);
    expect((await open.exec('hostname')).stdout).toBe('rekeyed\n');
  });

  it('accepts an explicitly given key, and forgets a host so its next key counts as new', async () => {
    const recorded = fx.knownHosts.get(target.host, 22)!;
    const fresh = await rekey();
    fx.knownHosts.accept(target.host, 22, { keyType: 'ssh-ed25519', fingerprint: fresh });
    const session = await fx.newPool().session(target);
    expect(session.hostKey).toMatchObject({ fingerprint: fresh, firstContact: false });
    expect(recorded.fingerprint).not.toBe(fresh);

    fx.knownHosts.forget(target.host, 22);
    expect(fx.knownHosts.get(target.host, 22)).toBeUndefined();
    const renewed = await fx.newPool().session(target);
    expect(renewed.hostKey).toMatchObject({ fingerprint: fresh, firstContact: true });
  });
});
