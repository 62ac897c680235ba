import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shellQuote } from '../../main/ssh/quote.js';
import type { SshTarget } from '../../main/ssh/types.js';
import { createLab, type Lab } from '../lab/lab.js';
import {
  createSshFixture,
  expectSshError,
  sshKeygen,
  tempDir,
  type KeyPair,
  type SshFixture,
} from './helpers.js';

describe('ssh pool against lab hosts', () => {
  let lab: Lab;
  let fx: SshFixture;
  let key: KeyPair;
  let rootPw: SshTarget;
  let rootKey: SshTarget;
  let deploy: SshTarget;

  beforeAll(() => {
    key = sshKeygen(tempDir(), 'id_basic', 'ed25519');
    lab = createLab(20, [
      { octet: 11, hostname: 'pw-host', rootPassword: 'r00t pw$' },
      { octet: 12, hostname: 'key-host', rootKeys: [key.publicKey], auth: { pubkey: true } },
      {
        octet: 13,
        hostname: 'sudo-host',
        users: [{ name: 'deploy', authorizedKeys: [key.publicKey], sudo: 'nopasswd' }],
      },
    ]);
    fx = createSshFixture();
    rootPw = { host: lab.address(11), port: 22, user: 'root', password: 'r00t pw$' };
    rootKey = { host: lab.address(12), port: 22, user: 'root', privateKey: key.privateKey };
    deploy = { host: lab.address(13), port: 22, user: 'deploy', privateKey: key.privateKey };
  });
  afterAll(async () => {
    await fx?.cleanup();
    lab?.teardown();
  });

  it('logs in with a password and runs commands; a non-zero exit is a result', async () => {
    const session = await fx.pool.session(rootPw);
    expect(await session.exec('hostname')).toEqual({ code: 0, stdout: 'pw-host\n', stderr: '' });
    expect(await session.exec('echo out; echo err >&2; exit 3')).toEqual({
      code: 3,
      stdout: 'out\n',
      stderr: 'err\n',
    });
  });

  it('reuses one connection per target', async () => {
    const first = await fx.pool.session(rootPw);
    const second = await fx.pool.session({ ...rootPw });
    expect(second).toBe(first);
    const ports = await Promise.all(
      [first, second, first].map(async (s) => (await s.exec('echo $SSH_CONNECTION')).stdout),
    );
    expect(new Set(ports).size).toBe(1);
  });

  it('streams output to onOutput and bounds what it keeps', async () => {
    const session = await fx.pool.session(rootPw);
    let streamed = 0;
    const result = await session.exec("head -c 3000000 /dev/zero | tr '\\0' a", {
      onOutput: (chunk, stream) => {
        if (stream === 'stdout') streamed += chunk.length;
      },
    });
    expect(streamed).toBe(3_000_000);
    expect(result.stdout).toMatch(/^\[1951424 earlier bytes of output omitted\]\na{1048576}$/);
  });

  it('hands output to onOutput as the host prints it, while the command still runs', async () => {
    const session = await fx.pool.session(rootPw);
    const go = '/tmp/topke-basic-go-on';
    let seen = '';
    let firstLine!: () => void;
    const first = new Promise<void>((resolve) => (firstLine = resolve));
    let ended = false;
    const running = session
      .exec(`echo one; while [ ! -e ${go} ]; do sleep 0.05; done; echo two`, {
        onOutput: (chunk, stream) => {
          seen += `${stream}:${chunk}`;
          if (seen.includes('one\n')) firstLine();
        },
      })
      .finally(() => (ended = true));
    await Promise.race([first, running.then(() => Promise.reject(new Error('ended first')))]);
    // The command waits for the file: what was seen came before its end.
    expect({ seen, ended }).toEqual({ seen: 'stdout:one\n', ended: false });
    lab.host(11).exec(`touch ${go}`);
    expect(await running).toEqual({ code: 0, stdout: 'one\ntwo\n', stderr: '' });
    expect(seen).toBe('stdout:one\nstdout:two\n');
  });

  it('forwards a character cut short at the very end of the output', async () => {
    const session = await fx.pool.session(rootPw);
    let streamed = '';
    // "ab" and the first two bytes of a three-byte character, the stream ending there.
    await session.exec("printf 'ab\\344\\270'", { onOutput: (chunk) => (streamed += chunk) });
    expect(streamed).toBe('ab\ufffd');
  });

  it('logs in with a private key on a key-only host', async () => {
    const session = await fx.pool.session(rootKey);
    expect((await session.exec('hostname')).stdout).toBe('key-host\n');
  });

  it('records the host key on first contact with its SHA256 fingerprint', async () => {
    const session = await fx.pool.session(rootKey);
    const pubFile = join(fx.dir, 'host.pub');
    writeFileSync(pubFile, `${lab.host(12).hostKey()}\n`);
    const printed = execFileSync('ssh-keygen', ['-lf', pubFile], { encoding: 'utf8' }).split(
      ' ',
    )[1];
    expect(fx.knownHosts.get(lab.address(12), 22)).toMatchObject({
      keyType: 'ssh-ed25519',
      fingerprint: printed,
    });
    expect(session.hostKey).toMatchObject({ keyType: 'ssh-ed25519', fingerprint: printed });
  });

  it('runs as root through passwordless sudo for a non-root user', async () => {
    const session = await fx.pool.session(deploy);
    expect((await session.exec('id -un')).stdout).toBe('deploy\n');
    expect((await session.exec('id -un', { sudo: true })).stdout).toBe('root\n');
    expect(await session.exec('cat', { sudo: true, stdin: 'fed on stdin' })).toMatchObject({
      code: 0,
      stdout: 'fed on stdin',
    });
  });

  it('uploads into a root-owned place with sudo, mode and owner, leaving no temp file', async () => {
    const session = await fx.pool.session(deploy);
    await session.upload(Buffer.from('a: 1\n'), '/etc/topke/conf.d/app.yaml', {
      sudo: true,
      mode: 0o640,
    });
    const host = lab.host(13);
    expect(host.exec('stat -c "%a %U" /etc/topke/conf.d/app.yaml').trim()).toBe('640 root');
    expect(host.readFile('/etc/topke/conf.d/app.yaml')).toBe('a: 1\n');
    expect(
      host
        .exec('ls -A /home/deploy')
        .split('\n')
        .filter((f) => f.startsWith('.topke')),
    ).toEqual([]);
    const back = await session.readFile('/etc/topke/conf.d/app.yaml', { sudo: true });
    expect(back.toString()).toBe('a: 1\n');
  });

  it('uploads a local file as root and replaces an existing one', async () => {
    const session = await fx.pool.session(rootPw);
    const local = join(fx.dir, 'payload.bin');
    writeFileSync(local, Buffer.alloc(200_000, 7));
    await session.upload(Buffer.from('old'), '/opt/topke/bin/tool', { mode: 0o755 });
    await session.upload(local, '/opt/topke/bin/tool', { mode: 0o755 });
    const host = lab.host(11);
    expect(host.exec('stat -c "%a %s" /opt/topke/bin/tool').trim()).toBe('755 200000');
    expect(host.exec('ls -A /opt/topke/bin').trim()).toBe('tool');
    expect((await session.readFile('/opt/topke/bin/tool')).equals(Buffer.alloc(200_000, 7))).toBe(
      true,
    );
  });

  it('gives an uploaded file the owner asked for, as root', async () => {
    const session = await fx.pool.session(rootPw);
    await session.upload(Buffer.from('owned\n'), '/srv/topke-owned/file', {
      mode: 0o600,
      owner: 'nobody:nogroup',
    });
    expect(lab.host(11).exec('stat -c "%a %U:%G" /srv/topke-owned/file').trim()).toBe(
      '600 nobody:nogroup',
    );
  });

  it('names the remote path when an upload fails', async () => {
    // Without sudo, a non-root user may not write into /etc.
    const denied = await expectSshError(
      (await fx.pool.session(deploy)).upload(Buffer.from('x'), '/etc/topke-denied.conf'),
      'upload_failed',
    );
    expect(denied.message).toContain('uploading to /etc/topke-denied.conf failed');
    expect(denied.messageCn).toContain('上传到 /etc/topke-denied.conf 失败');
    expect(denied.details).toMatchObject({ path: '/etc/topke-denied.conf' });
    // With sudo, install cannot make a folder where a file is.
    const blocked = await expectSshError(
      (await fx.pool.session(deploy)).upload(Buffer.from('x'), '/etc/hostname/sub/file', {
        sudo: true,
      }),
      'upload_failed',
    );
    expect(blocked.message).toContain('uploading to /etc/hostname/sub/file failed');
    expect(blocked.message).toMatch(/install exited with 1: .*Not a directory/);
  });

  it('names the remote path when a read fails', async () => {
    const session = await fx.pool.session(rootPw);
    const err = await expectSshError(session.readFile('/nonexistent/file'), 'read_failed');
    expect(err.message).toContain('/nonexistent/file');
  });

  it('keeps quoted values one word, whatever they hold', async () => {
    const session = await fx.pool.session(rootPw);
    const nasty = `a'b"c $(touch /tmp/pwned) \`id\` ; rm -rf / # \\ \n end`;
    expect((await session.exec(`printf %s ${shellQuote(nasty)}`)).stdout).toBe(nasty);
    expect(lab.host(11).exec('ls /tmp')).not.toContain('pwned');
  });

  it('fails a wrong password with the methods tried and allowed, in both languages', async () => {
    const err = await expectSshError(
      fx.newPool().session({ ...rootPw, password: 'wrong' }),
      'auth',
    );
    expect(err.details).toMatchObject({ host: lab.address(11), user: 'root', tried: ['password'] });
    expect((err.details as { methods: string[] }).methods).toEqual(
      expect.arrayContaining(['publickey', 'password']),
    );
    expect(err.message).toContain(`root@${lab.address(11)}:22`);
    expect(err.messageCn).toContain('认证失败');
    expect(err.message).not.toContain('wrong');
  });

  it('reports a port with no SSH server as connection refused', async () => {
    await expectSshError(fx.pool.session({ ...rootPw, port: 2222 }), 'connect_refused');
  });
});
