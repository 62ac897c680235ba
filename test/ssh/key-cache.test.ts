import { describe, expect, it } from 'vitest';
import { PreparedKeys } from '../../main/ssh/key-cache.js';
import { thrown } from '../support/errors.js';
import { sshKeygen, tempDir } from './helpers.js';

const PASS = 'cache pass phrase';
const hostA = { host: '198.18.0.71', port: 22, user: 'root' };
const hostB = { host: '198.18.0.72', port: 2222, user: 'ops' };

describe('private keys prepared once per pool', () => {
  const dir = tempDir();
  const encrypted = sshKeygen(dir, 'enc', 'ed25519', [], PASS);
  const plain = sshKeygen(dir, 'plain', 'ed25519');

  it('decrypts a key once and gives every host the same parsed key', () => {
    const keys = new PreparedKeys();
    const first = keys.prepare(encrypted.privateKey, PASS, hostA);
    expect(first).toMatchObject({ keyType: 'ssh-ed25519', format: 'OpenSSH' });
    expect(keys.prepare(encrypted.privateKey, PASS, hostB)).toBe(first);
    expect(keys.prepare(plain.privateKey, undefined, hostB)).not.toBe(first);
  });

  it('says a wrong passphrase again for each host, naming that host', () => {
    const keys = new PreparedKeys();
    const a = thrown(() => keys.prepare(encrypted.privateKey, 'not it', hostA));
    const b = thrown(() => keys.prepare(encrypted.privateKey, 'not it', hostB));
    expect(a.details).toMatchObject({ kind: 'passphrase_wrong', host: hostA.host, port: 22 });
    expect(b.details).toMatchObject({
      kind: 'passphrase_wrong',
      host: hostB.host,
      port: 2222,
      user: 'ops',
    });
    expect(b.message).toContain('ops@198.18.0.72:2222');
    expect(keys.prepare(encrypted.privateKey, PASS, hostA).keyType).toBe('ssh-ed25519');
  });

  it('asks for the passphrase of an encrypted key given none', () => {
    const keys = new PreparedKeys();
    const err = thrown(() => keys.prepare(encrypted.privateKey, undefined, hostB));
    expect(err.details).toMatchObject({ kind: 'passphrase_needed', host: hostB.host });
  });
});
