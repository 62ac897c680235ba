import { TopkeError } from '../contract/errors.js';
import { sshError, type SshErrorDetails, type SshPeer } from './errors.js';
import type { KnownHosts } from './types.js';

/** Hosts whose key was seen to change, shared by a pool's sessions: once one connection meets
 * a changed key, no session does any more work on that host (even over a connection opened
 * before) until the known hosts say the key is trusted again. */
export class HostKeyGate {
  private readonly refused = new Map<string, TopkeError>();

  constructor(private readonly knownHosts: KnownHosts) {}

  /** Notes a host key error; other errors pass through untouched. */
  observe(err: unknown): void {
    if (!(err instanceof TopkeError) || err.code !== 'host_key_changed') return;
    const details = err.details as SshErrorDetails;
    this.refused.set(`${details.host}:${details.port}`, err);
  }

  /** Throws the host key error while the refused key is still not trusted. */
  check(peer: SshPeer): void {
    const err = this.refused.get(`${peer.host}:${peer.port}`);
    if (!err) return;
    const { hostKey } = err.details as SshErrorDetails;
    const verdict = this.knownHosts.check(
      peer.host,
      peer.port,
      hostKey!.keyType,
      hostKey!.fingerprint,
    );
    if (verdict === 'match') {
      this.refused.delete(`${peer.host}:${peer.port}`);
      return;
    }
    throw sshError('host_key_changed', peer, { hostKey: hostKey! });
  }
}
