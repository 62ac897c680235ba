import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

const PASS = 'key pass phrase';

function sshString(data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  return Buffer.concat([length, data]);
}

/** The OpenSSH public line of a PKCS#8 key, made with Node alone (ssh-keygen cannot read
 * PKCS#8 Ed25519 keys). */
function publicLine(path: string, pem: string, passphrase?: string): string {
  const key = createPublicKey(createPrivateKey({ key: pem, format: 'pem', passphrase }));
  if (key.asymmetricKeyType === 'ed25519') {
    const x = Buffer.from(key.export({ format: 'jwk' }).x!, 'base64url');
    const blob = Buffer.concat([sshString(Buffer.from('ssh-ed25519')), sshString(x)]);
    return `ssh-ed25519 ${blob.toString('base64')}`;
  }
  writeFileSync(`${path}.spki`, String(key.export({ type: 'spki', format: 'pem' })));
  return execFileSync('ssh-keygen', ['-i', '-m', 'PKCS8', '-f', `${path}.spki`], {
    encoding: 'utf8',
  }).trim();
}

function openssl(dir: string, name: string, args: string[]): KeyPair {
  const path = join(dir, name);
  execFileSync('openssl', ['genpkey', ...args, '-out', path]);
  const privateKey = readFileSync(path, 'utf8');
  const passIndex = args.indexOf('-pass');
  const passphrase = passIndex >= 0 ? args[passIndex + 1]!.replace(/^pass:/, '') : undefined;
  return { path, privateKey, publicKey: publicLine(path, privateKey, passphrase) };
}

function puttygen(dir: string, name: string, args: string[], passphrase = ''): KeyPair {
  const path = join(dir, name);
  const passFile = join(dir, `${name}.pass`);
  writeFileSync(passFile, passphrase);
  execFileSync('puttygen', [...args, '-C', name, '-o', path, '--new-passphrase', passFile]);
  const publicKey = execFileSync(
    'puttygen',
    [path, '--old-passphrase', passFile, '-O', 'public-openssh'],
    { encoding: 'utf8' },
  ).trim();
  return { path, privateKey: readFileSync(path, 'utf8'), publicKey };
}

describe('private key formats', () => {
  let lab: Lab;
  let fx: SshFixture;
  const keys: Record<string, KeyPair> = {};
  const target = (octet: number, extra: Partial<SshTarget>): SshTarget => ({
    host: lab.address(octet),
    port: 22,
    user: 'root',
    ...extra,
  });
  // Errors about the key come before any connection: .99 has no host behind it.
  const nowhere = (extra: Partial<SshTarget>): SshTarget => target(99, extra);

  beforeAll(() => {
    const dir = tempDir();
    Object.assign(keys, {
      opensshEd25519: sshKeygen(dir, 'ed', 'ed25519'),
      opensshEcdsa: sshKeygen(dir, 'ec', 'ecdsa', ['-b', '256']),
      opensshRsa: sshKeygen(dir, 'rsa', 'rsa', ['-b', '2048']),
      pemRsa: sshKeygen(dir, 'pem-rsa', 'rsa', ['-b', '2048', '-m', 'PEM']),
      pemEcdsa: sshKeygen(dir, 'pem-ec', 'ecdsa', ['-b', '384', '-m', 'PEM']),
      pkcs8Rsa: sshKeygen(dir, 'p8-rsa', 'rsa', ['-b', '2048', '-m', 'PKCS8']),
      encOpenssh: sshKeygen(dir, 'enc-ed', 'ed25519', [], PASS),
      encPem: sshKeygen(dir, 'enc-pem', 'rsa', ['-b', '2048', '-m', 'PEM'], PASS),
      pkcs8Ed25519: openssl(dir, 'p8-ed', ['-algorithm', 'ed25519']),
      encPkcs8Ec: openssl(dir, 'p8-ec', [
        '-algorithm',
        'EC',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-aes256',
        '-pass',
        `pass:${PASS}`,
      ]),
      ppk2Rsa: puttygen(dir, 'v2.ppk', ['-t', 'rsa', '-b', '2048', '--ppk-param', 'version=2']),
      encPpk2Rsa: puttygen(
        dir,
        'v2e.ppk',
        ['-t', 'rsa', '-b', '2048', '--ppk-param', 'version=2'],
        PASS,
      ),
      ppk3Ed25519: puttygen(dir, 'v3.ppk', ['-t', 'ed25519']),
      ppk2Ed25519: puttygen(dir, 'v2ed.ppk', ['-t', 'ed25519', '--ppk-param', 'version=2']),
    });
    const all = Object.values(keys).map((k) => k.publicKey);
    lab = createLab(22, [{ octet: 11, hostname: 'keys', rootKeys: all, auth: { pubkey: true } }]);
    fx = createSshFixture();
  });
  afterAll(async () => {
    await fx?.cleanup();
    lab?.teardown();
  });

  const working: Array<[string, string | undefined]> = [
    ['opensshEd25519', undefined],
    ['opensshEcdsa', undefined],
    ['opensshRsa', undefined],
    ['pemRsa', undefined],
    ['pemEcdsa', undefined],
    ['pkcs8Rsa', undefined],
    ['pkcs8Ed25519', undefined],
    ['encOpenssh', PASS],
    ['encPem', PASS],
    ['encPkcs8Ec', PASS],
    ['ppk2Rsa', undefined],
    ['encPpk2Rsa', PASS],
  ];
  it.each(working)('logs in with %s', async (name, passphrase) => {
    const session = await fx.pool.session(
      target(11, { privateKey: keys[name]!.privateKey, passphrase }),
    );
    expect((await session.exec('hostname')).stdout).toBe('keys\n');
  });

  it('signs with rsa-sha2 on a server that refuses SHA-1 signatures', async () => {
    // OpenSSH 8.8 and later refuse ssh-rsa signatures by default; this host is one of them.
    const sshd = execFileSync('sshd', ['-T', '-f', '/dev/null'], { encoding: 'utf8' });
    expect(sshd).toMatch(/^pubkeyacceptedalgorithms (?!.*(^|,)ssh-rsa(,|$)).*$/m);
    const session = await fx.pool.session(target(11, { privateKey: keys.opensshRsa!.privateKey }));
    expect((await session.exec('true')).code).toBe(0);
  });

  const needing = ['encOpenssh', 'encPem', 'encPkcs8Ec', 'encPpk2Rsa'];
  it.each(needing)('asks for the passphrase of %s', async (name) => {
    const err = await expectSshError(
      fx.pool.session(nowhere({ privateKey: keys[name]!.privateKey })),
      'passphrase_needed',
    );
    expect(err.message).toContain('encrypted');
  });

  it.each(needing)('says the passphrase of %s is wrong', async (name) => {
    await expectSshError(
      fx.pool.session(nowhere({ privateKey: keys[name]!.privateKey, passphrase: 'not it' })),
      'passphrase_wrong',
    );
  });

  it('names PuTTY PPK v3 as unsupported instead of blaming a passphrase', async () => {
    const err = await expectSshError(
      fx.pool.session(nowhere({ privateKey: keys.ppk3Ed25519!.privateKey, passphrase: 'x' })),
      'key_format',
    );
    expect(err.message).toContain('PuTTY PPK v3 is not supported; export as OpenSSH');
    expect(err.details).toMatchObject({ keyFormat: 'PuTTY PPK v3' });
  });

  it('names a PuTTY PPK v2 Ed25519 key as unsupported', async () => {
    const err = await expectSshError(
      fx.pool.session(nowhere({ privateKey: keys.ppk2Ed25519!.privateKey })),
      'key_format',
    );
    expect(err.message).toContain('export as OpenSSH');
  });

  it('says a public key is not a private key', async () => {
    const err = await expectSshError(
      fx.pool.session(nowhere({ privateKey: keys.opensshEd25519!.publicKey })),
      'key_format',
    );
    expect(err.message).toContain('this is a public key');
  });

  it('rejects text that is no key at all', async () => {
    await expectSshError(fx.pool.session(nowhere({ privateKey: 'hello' })), 'key_format');
  });
});
