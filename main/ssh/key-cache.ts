import { createHash } from 'node:crypto';
import { sshError, sshErrorKind, type SshErrorDetails, type SshPeer } from './errors.js';
import { prepareKey, type UsableKey } from './private-key.js';

/** Why a key could not be used, as prepareKey says it, to be said again for each host. */
type KeyProblem = Pick<SshErrorDetails, 'kind' | 'keyFormat' | 'cause'>;

function problemOf(err: unknown): KeyProblem | undefined {
  if (!sshErrorKind(err)) return undefined;
  const { kind, keyFormat, cause } = (err as { details: SshErrorDetails }).details;
  return { kind, keyFormat, cause };
}

/** Private keys checked and decrypted once per pool rather than once per connection: decrypting
 * an OpenSSH key runs bcrypt_pbkdf on this process's event loop (about 0.4 s here), which a scan
 * or a deploy would otherwise pay again for every host. A key that cannot be used fails every
 * host with the same error, naming each host. */
export class PreparedKeys {
  private readonly keys = new Map<string, UsableKey | KeyProblem>();

  prepare(text: string, passphrase: string | undefined, peer: SshPeer): UsableKey {
    const id = createHash('sha256')
      .update(JSON.stringify([text, passphrase ?? null]))
      .digest('hex');
    if (!this.keys.has(id)) this.keys.set(id, this.attempt(text, passphrase, peer));
    const entry = this.keys.get(id)!;
    if ('parsed' in entry) return entry;
    const { kind, ...extra } = entry;
    throw sshError(kind, peer, extra);
  }

  clear(): void {
    this.keys.clear();
  }

  private attempt(
    text: string,
    passphrase: string | undefined,
    peer: SshPeer,
  ): UsableKey | KeyProblem {
    try {
      return prepareKey(text, passphrase, peer);
    } catch (err) {
      const problem = problemOf(err);
      if (!problem) throw err;
      return problem;
    }
  }
}
