import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSshPool } from '../../main/ssh/pool.js';
import { shellQuote } from '../../main/ssh/quote.js';
import type { SshPool, SshTarget } from '../../main/ssh/types.js';
import { createLab, type Lab } from '../lab/lab.js';
import {
  createSshFixture,
  expectSshError,
  sshKeygen,
  tempDir,
  type KeyPair,
  type SshFixture,
} from './helpers.js';

const PW_USER = 'pw user $HOME;`id`';
const TTY_USER = 'tty "pass" & more';
const TALLY_PW = 'tally pw';
/** A folder name that runs commands wherever it is not quoted. */
const HOSTILE = "it's $(touch /tmp/pwned) `touch /tmp/pwned` here";
const FAILLOCK = 'pam_faillock.so dir=/var/lib/topke-faillock deny=50 unlock_time=600';
/** sudo's PAM stack with pam_faillock, which counts every failed password and locks the account
 * after `deny` of them, as hardened hosts have it. */
const PAM_SUDO_FAILLOCK = [
  '#%PAM-1.0',
  `auth required ${FAILLOCK.replace('.so', '.so preauth')}`,
  'auth [success=1 default=bad] pam_unix.so',
  `auth [default=die] ${FAILLOCK.replace('.so', '.so authfail')}`,
  `auth sufficient ${FAILLOCK.replace('.so', '.so authsucc')}`,
  `account required ${FAILLOCK}`,
  '@include common-account',
  'session required pam_limits.so',
  '@include common-session-noninteractive',
  '',
].join('\n');

/** Polls until `check` returns a value, for conditions on a remote host. */
async function waitFor<T>(check: () => T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const value = check();
    if (value !== undefined) return value;
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('sudo for non-root users', () => {
  let lab: Lab;
  let fx: SshFixture;
  let key: KeyPair;
  let logged = '';
  let pool: SshPool;
  const user = (name: string, extra: Partial<SshTarget> = {}): SshTarget => ({
    host: lab.address(11),
    port: 22,
    user: name,
    ...extra,
  });

  beforeAll(() => {
    key = sshKeygen(tempDir(), 'id_sudo', 'ed25519');
    const keys = [key.publicKey];
    lab = createLab(23, [
      {
        octet: 11,
        hostname: 'sudo-lab',
        users: [
          { name: 'nopw', authorizedKeys: keys, sudo: 'nopasswd' },
          { name: 'pwuser', password: PW_USER, authorizedKeys: keys, sudo: 'password' },
          { name: 'ttyuser', password: TTY_USER, sudo: 'password', requiretty: true },
          { name: 'ttynopw', authorizedKeys: keys, sudo: 'nopasswd', requiretty: true },
          { name: 'plain', authorizedKeys: keys },
        ],
      },
      {
        octet: 12,
        hostname: 'sudo-tally',
        users: [{ name: 'tally', password: TALLY_PW, authorizedKeys: keys, sudo: 'password' }],
        files: { '/etc/pam.d/sudo': PAM_SUDO_FAILLOCK },
      },
    ]);
    lab.host(12).exec('mkdir -p /var/lib/topke-faillock');
    fx = createSshFixture();
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        logged += chunk.toString();
        done();
      },
    });
    pool = createSshPool({ knownHosts: fx.knownHosts, log: pino({ level: 'debug' }, sink) });
  });
  afterAll(async () => {
    await pool?.closeAll();
    await fx?.cleanup();
    lab?.teardown();
  });

  it('uses sudo -n where no password is needed', async () => {
    const session = await pool.session(user('nopw', { privateKey: key.privateKey }));
    expect((await session.exec('id -un', { sudo: true })).stdout).toBe('root\n');
    expect((await session.exec('id -un')).stdout).toBe('nopw\n');
  });

  it('gives the sudo password on stdin, leaving the rest of stdin to the command', async () => {
    const session = await pool.session(
      user('pwuser', { privateKey: key.privateKey, sudoPassword: PW_USER }),
    );
    expect((await session.exec('id -un', { sudo: true })).stdout).toBe('root\n');
    const echoed = await session.exec('cat; id -u', { sudo: true, stdin: 'one\ntwo\n' });
    expect(echoed).toEqual({ code: 0, stdout: 'one\ntwo\n0\n', stderr: '' });
  });

  it('uses the login password for sudo when no sudo password is given', async () => {
    const session = await pool.session(user('pwuser', { password: PW_USER }));
    expect((await session.exec('id -u', { sudo: true })).stdout).toBe('0\n');
  });

  it('never puts the sudo password on a command line', async () => {
    const host = lab.host(11);
    const session = await pool.session(user('pwuser', { password: PW_USER }));
    const running = session
      .exec('while [ ! -e /tmp/go ]; do sleep 0.05; done; echo released', { sudo: true })
      .catch((err: unknown) => err);
    const table = await waitFor(() => {
      const ps = host.exec('ps -eo args');
      return ps.includes('/tmp/go') ? ps : undefined;
    }, 'the command to run');
    expect(table).toMatch(/sudo -k -S -p {2}-- sh -c .*while/);
    expect(table).not.toContain('pw user');
    host.exec('touch /tmp/go');
    expect(await running).toMatchObject({ code: 0, stdout: 'released\n' });
  });

  it('reports a wrong sudo password as its own error', async () => {
    const err = await expectSshError(
      pool
        .session(user('pwuser', { password: PW_USER, sudoPassword: 'not the one' }))
        .then((s) => s.exec('true', { sudo: true })),
      'sudo_password_wrong',
    );
    expect(err.message).toContain('pwuser');
    expect(err.messageCn).toContain('sudo');
  });

  it('tries a refused sudo password once per connection, then fails at once', async () => {
    const host = lab.host(12);
    // Each failed password pam_faillock counted for the user, one line per failure.
    const failures = () =>
      host
        .exec('faillock --dir /var/lib/topke-faillock --user tally')
        .split('\n')
        .filter((line) => /^\d{4}-\d\d-\d\d /.test(line)).length;
    const wrong = user('tally', {
      host: host.ip,
      privateKey: key.privateKey,
      sudoPassword: 'not the one',
    });
    const session = await pool.session(wrong);
    const connection = (await session.exec('echo $SSH_CONNECTION')).stdout;
    await expectSshError(session.exec('true', { sudo: true }), 'sudo_password_wrong');
    // One try of sudo -S: PAM counts the refused line and the end of input after it. No second
    // try under a terminal: sudo asked for the password, so requiretty is not what refused it.
    const tried = failures();
    expect(tried).toBe(2);

    for (let i = 0; i < 3; i++)
      await expectSshError(session.exec('id -un', { sudo: true }), 'sudo_password_wrong');
    const upload = await expectSshError(
      session.upload(Buffer.from('x'), '/etc/topke-tally', { sudo: true }),
      'sudo_password_wrong',
    );
    expect(upload.message).toContain('(while uploading to /etc/topke-tally)');
    expect(upload.messageCn).toContain('上传到 /etc/topke-tally');
    expect(failures()).toBe(tried);
    expect((await session.exec('echo $SSH_CONNECTION')).stdout).toBe(connection);

    const right = await pool.session({ ...wrong, sudoPassword: TALLY_PW });
    expect((await right.exec('id -un', { sudo: true })).stdout).toBe('root\n');
  });

  it('asks for a sudo password when sudo wants one and none was given', async () => {
    const session = await pool.session(user('pwuser', { privateKey: key.privateKey }));
    await expectSshError(session.exec('true', { sudo: true }), 'sudo_needs_password');
  });

  it('runs sudo under a terminal when sudoers has requiretty', async () => {
    const session = await pool.session(user('ttyuser', { password: TTY_USER }));
    const result = await session.exec('id -un; echo to-stderr >&2; cat', { sudo: true });
    // A terminal has one output stream: stderr arrives on stdout.
    expect(result).toEqual({ code: 0, stdout: 'root\nto-stderr\n', stderr: '' });
    const fed = await session.exec('cat; echo end', { sudo: true, stdin: 'a\nb' });
    expect(fed.stdout).toBe('a\nbend\n');
    expect(lab.host(11).exec('ls -A /home/ttyuser')).not.toContain('.topke');
  });

  it('installs files through a requiretty sudo', async () => {
    const session = await pool.session(user('ttyuser', { password: TTY_USER }));
    await session.upload(Buffer.from('x=1\n'), '/etc/topke-tty/app.conf', {
      sudo: true,
      mode: 0o600,
    });
    expect(lab.host(11).exec('stat -c "%a %U" /etc/topke-tty/app.conf').trim()).toBe('600 root');
  });

  it('installs at and reads back a path full of shell characters, as a sudo user', async () => {
    const host = lab.host(11);
    const stat = (path: string) => host.exec(`stat -c '%a %U:%G' -- ${shellQuote(path)}`).trim();
    for (const [name, password] of [
      ['pwuser', PW_USER],
      ['ttyuser', TTY_USER],
    ] as const) {
      const session = await pool.session(user(name, { password }));
      const installed = `/opt/${HOSTILE}/${name} 'conf'.yaml`;
      await session.upload(Buffer.from(`by: ${name}\n`), installed, {
        sudo: true,
        mode: 0o640,
        owner: 'nopw:plain',
      });
      expect(stat(installed)).toBe('640 nopw:plain');
      expect((await session.readFile(installed, { sudo: true })).toString()).toBe(`by: ${name}\n`);

      // Without sudo: SFTP into the user's own folder, then chmod and rename by shell commands.
      const own = `/home/${name}/${HOSTILE}/own file`;
      await session.upload(Buffer.from('mine\n'), own, { mode: 0o600 });
      expect(stat(own)).toBe(`600 ${name}:${name}`);
      expect((await session.readFile(own)).toString()).toBe('mine\n');
    }
    expect(host.exec('test -e /tmp/pwned && echo present || echo absent').trim()).toBe('absent');
  });

  it('uses a terminal without a password for requiretty with NOPASSWD', async () => {
    const session = await pool.session(user('ttynopw', { privateKey: key.privateKey }));
    expect((await session.exec('id -un', { sudo: true })).stdout).toBe('root\n');
    // A command that reads stdin meets its end instead of waiting on the terminal.
    const reader = await session.exec('cat; echo done', { sudo: true, timeoutMs: 5000 });
    expect(reader).toEqual({ code: 0, stdout: 'done\n', stderr: '' });
  });

  it('writes no password to the log', () => {
    expect(logged.length).toBeGreaterThan(0);
    for (const secret of [PW_USER, TTY_USER, 'not the one']) expect(logged).not.toContain(secret);
  });
});
