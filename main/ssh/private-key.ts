import ssh2, { type ParsedKey } from 'ssh2';
import { detectKeyFormat, type KeyFormat } from './key-format.js';
import { sshError, type SshPeer } from './errors.js';
import { pkcs8ToSsh2 } from './pkcs8.js';

// ssh2 is CommonJS: Node's ESM loader cannot see `utils` as a named export.
const { utils } = ssh2;

/** A private key parsed (and decrypted) once, ready for ssh2, and what it is. */
export interface UsableKey {
  parsed: ParsedKey;
  format: string;
  keyType: string;
}

/** Checks a private key before connecting: a known, supported format, a passphrase when it is
 * encrypted, and one that decrypts it. Throws the matching SSH error otherwise. */
export function prepareKey(text: string, passphrase: string | undefined, peer: SshPeer): UsableKey {
  const format = detectKeyFormat(text);
  if (format.unsupported) {
    throw sshError('key_format', peer, { keyFormat: format.name, cause: format.unsupported[0] });
  }
  if (format.encrypted && !passphrase) {
    throw sshError('passphrase_needed', peer, { keyFormat: format.name });
  }
  const ssh2Text = format.family === 'pkcs8' ? convertPkcs8(text, passphrase, format, peer) : text;
  // A passphrase given for an unencrypted key is ignored: ssh2 would use it to check a PPK's MAC.
  const usable = format.encrypted && format.family !== 'pkcs8' ? passphrase : undefined;
  const parsed = utils.parseKey(ssh2Text, usable);
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key || key instanceof Error) {
    // The container was readable, so a failure to parse an encrypted key is its passphrase.
    const kind = format.encrypted ? 'passphrase_wrong' : 'key_format';
    throw sshError(kind, peer, { keyFormat: format.name, cause: key?.message });
  }
  return { parsed: key, format: format.name, keyType: key.type };
}

function convertPkcs8(
  text: string,
  passphrase: string | undefined,
  format: KeyFormat,
  peer: SshPeer,
): string {
  let converted: string | undefined;
  try {
    converted = pkcs8ToSsh2(text, format.encrypted ? passphrase : undefined);
  } catch (err) {
    const kind = format.encrypted ? 'passphrase_wrong' : 'key_format';
    throw sshError(kind, peer, { keyFormat: format.name, cause: (err as Error).message });
  }
  if (converted === undefined) {
    throw sshError('key_format', peer, {
      keyFormat: format.name,
      cause: 'the PKCS#8 key is not RSA, ECDSA or Ed25519',
    });
  }
  return converted;
}
