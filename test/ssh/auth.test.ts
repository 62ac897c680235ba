import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

describe('ssh authentication methods', () => {
  let lab: Lab;
  let fx: SshFixture;
  let key: KeyPair;
  let other: KeyPair;
  const at = (octet: number, extra: Partial<SshTarget>): SshTarget => ({
    host: lab.address(octet),
    port: 22,
    user: 'root',
    ...extra,
  });

  beforeAll(() => {
    const dir = tempDir();
    key = sshKeygen(dir, 'id_auth', 'ed25519');
    other = sshKeygen(dir, 'id_other', 'ed25519');
    lab = createLab(21, [
      { octet: 11, hostname: 'pw-only', rootPassword: 'pw-11', auth: { password: true } },
      {
        octet: 12,
        hostname: 'kbd-only',
        rootPassword: 'pw-12',
        auth: { keyboardInteractive: true },
      },
      { octet: 13, hostname: 'key-only', rootKeys: [key.publicKey], auth: { pubkey: true } },
      { octet: 14, service: 'tarpit' },
      { octet: 15, service: 'http', sshPort: 22 },
    ]);
    fx = createSshFixture();
  });
  afterAll(async () => {
    await fx?.cleanup();
    lab?.teardown();
  });

  it('logs in with a password where only passwords are allowed', async () => {
    const session = await fx.pool.session(at(11, { password: 'pw-11' }));
    expect((await session.exec('hostname')).stdout).toBe('pw-only\n');
  });

  it('answers keyboard-interactive with the password where only that is allowed', async () => {
    const session = await fx.pool.session(at(12, { password: 'pw-12' }));
    expect((await session.exec('hostname')).stdout).toBe('kbd-only\n');
  });

  it('names keyboard-interactive as tried when its password is wrong', async () => {
    const err = await expectSshError(fx.pool.session(at(12, { password: 'nope' })), 'auth');
    expect(err.details).toMatchObject({
      methods: ['keyboard-interactive'],
      tried: ['keyboard-interactive'],
    });
  });

  it('tells a password user that a key-only host wants a key', async () => {
    const err = await expectSshError(fx.pool.session(at(13, { password: 'pw' })), 'auth');
    expect(err.details).toMatchObject({ methods: ['publickey'], tried: [] });
    expect(err.message).toContain('tried: none; the server allows: publickey');
  });

  it('refuses a key the host does not know, naming publickey as tried', async () => {
    const err = await expectSshError(
      fx.pool.session(at(13, { privateKey: other.privateKey })),
      'auth',
    );
    expect(err.details).toMatchObject({ methods: ['publickey'], tried: ['publickey'] });
  });

  it('tells a key user that a password-only host wants a password', async () => {
    const err = await expectSshError(
      fx.pool.session(at(11, { privateKey: key.privateKey })),
      'auth',
    );
    expect(err.details).toMatchObject({ methods: ['password'], tried: [] });
  });

  it('times out on a port that accepts but never speaks', async () => {
    const pool = fx.newPool({ connectTimeoutMs: 700 });
    const err = await expectSshError(pool.session(at(14, { password: 'x' })), 'timeout');
    expect(err.details).toMatchObject({ timeoutMs: 700 });
  });

  it('reports a port that is not SSH as a protocol failure', async () => {
    const pool = fx.newPool({ connectTimeoutMs: 3000 });
    await expectSshError(pool.session(at(15, { password: 'x' })), 'protocol');
  });

  it('reports an address without a host as unreachable or timed out', async () => {
    const pool = fx.newPool({ connectTimeoutMs: 1500 });
    const err = await pool.session(at(99, { password: 'x' })).catch((e: unknown) => e);
    expect(['unreachable', 'timeout']).toContain(
      (err as { details: { kind: string } }).details.kind,
    );
  });
});
