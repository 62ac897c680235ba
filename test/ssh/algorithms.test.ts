import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SshTarget } from '../../main/ssh/types.js';
import { createLab, type Lab } from '../lab/lab.js';
import { createSshFixture, expectSshError, type SshFixture } from './helpers.js';

describe('algorithm negotiation', () => {
  let lab: Lab;
  let fx: SshFixture;
  const at = (octet: number, extra: Partial<SshTarget> = {}): SshTarget => ({
    host: lab.address(octet),
    port: 22,
    user: 'root',
    password: 'alg-pw',
    ...extra,
  });

  beforeAll(() => {
    lab = createLab(25, [
      {
        octet: 11,
        hostname: 'old-kex',
        rootPassword: 'alg-pw',
        sshdExtra: ['KexAlgorithms diffie-hellman-group14-sha1', 'Ciphers aes128-cbc'],
      },
      {
        octet: 12,
        hostname: 'old-cipher',
        rootPassword: 'alg-pw',
        sshdExtra: ['Ciphers 3des-cbc'],
      },
    ]);
    fx = createSshFixture();
  });
  afterAll(async () => {
    await fx?.cleanup();
    lab?.teardown();
  });

  it('names both key exchange lists when nothing is in common', async () => {
    const err = await expectSshError(fx.pool.session(at(11)), 'algorithms');
    const { algorithms } = err.details as {
      algorithms: { category: string; client: string[]; server: string[] };
    };
    expect(algorithms.category).toBe('KEX method');
    expect(algorithms.server).toEqual(['diffie-hellman-group14-sha1']);
    expect(algorithms.client).toContain('curve25519-sha256');
    expect(algorithms.client).not.toContain('diffie-hellman-group14-sha1');
    expect(err.message).toContain("the server's: diffie-hellman-group14-sha1");
    expect(err.message).toContain('enable legacy algorithms');
  });

  it('names the cipher lists for a cipher mismatch', async () => {
    const err = await expectSshError(fx.pool.session(at(12)), 'algorithms');
    expect(err.details).toMatchObject({
      algorithms: { category: 'C->S cipher', server: ['3des-cbc'] },
    });
  });

  it('logs in to old servers once legacy algorithms are enabled for the host', async () => {
    for (const [octet, name] of [
      [11, 'old-kex'],
      [12, 'old-cipher'],
    ] as const) {
      const session = await fx.pool.session(at(octet, { legacyAlgorithms: true }));
      expect((await session.exec('hostname')).stdout).toBe(`${name}\n`);
    }
  });
});
