import { createHash } from 'node:crypto';
import type { Socket } from 'node:net';
import pLimit from 'p-limit';
import type { Logger } from '../log.js';
import { HostKeyGate } from './host-key-gate.js';
import { PreparedKeys } from './key-cache.js';
import { HostSession, type SessionSettings } from './session.js';
import type { KnownHosts, SshPool, SshTarget } from './types.js';

export interface SshPoolOptions {
  knownHosts: KnownHosts;
  log: Logger;
  /** Commands and transfers running at once over the whole pool. */
  maxSessions?: number;
  connectTimeoutMs?: number;
  /** Default deadline of a command that gives none. */
  commandTimeoutMs?: number;
  /** How often a keepalive is sent on each connection. */
  keepaliveIntervalMs?: number;
  /** Keepalives left unanswered in a row before the connection counts as lost, so that a host
   * gone silent fails its commands instead of leaving them waiting until their deadline. */
  keepaliveCountMax?: number;
  /** Bytes of each output stream kept in a command's result. */
  maxOutputBytes?: number;
}

/** The product's SSH pool: one session per target (host, port, user and credentials), connected
 * on first use and kept until closeAll. */
export function createSshPool(options: SshPoolOptions): SshPool {
  const settings: SessionSettings = {
    knownHosts: options.knownHosts,
    log: options.log.child({ scope: 'ssh' }),
    connectTimeoutMs: options.connectTimeoutMs ?? 20_000,
    keepaliveIntervalMs: options.keepaliveIntervalMs ?? 15_000,
    keepaliveCountMax: options.keepaliveCountMax ?? 3,
    limit: pLimit(options.maxSessions ?? 16),
    hostKeys: new HostKeyGate(options.knownHosts),
    keys: new PreparedKeys(),
    commandTimeoutMs: options.commandTimeoutMs ?? 30 * 60_000,
    maxOutputBytes: options.maxOutputBytes ?? 1024 * 1024,
  };
  const sessions = new Map<string, HostSession>();

  return {
    async session(target: SshTarget, socket?: Socket) {
      const key = targetKey(target);
      let session = sessions.get(key);
      if (!session) {
        session = new HostSession({ ...target }, settings);
        sessions.set(key, session);
      }
      await session.connection(socket);
      return session;
    },
    async closeAll() {
      for (const session of sessions.values()) session.dispose();
      sessions.clear();
      settings.keys.clear();
    },
  };
}

/** Sessions are shared only between identical targets; credentials enter the key as a digest. */
function targetKey(target: SshTarget): string {
  const secrets = createHash('sha256')
    .update(
      JSON.stringify([target.password, target.privateKey, target.passphrase, target.sudoPassword]),
    )
    .digest('hex');
  return `${target.user}@${target.host}:${target.port}/${target.legacyAlgorithms ? 'legacy' : ''}/${secrets}`;
}
