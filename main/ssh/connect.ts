import type { Socket } from 'node:net';
import { Client, type ConnectConfig } from 'ssh2';
import type { Logger } from '../log.js';
import { LEGACY_ALGORITHMS, NegotiationTrace } from './algorithms.js';
import { createAuthHandler, type AuthRecord } from './auth.js';
import { classifyConnectError, type AttemptFacts } from './classify.js';
import { sshError, type SshPeer } from './errors.js';
import { describeHostKey } from './host-key.js';
import type { PreparedKeys } from './key-cache.js';
import type { KnownHosts, SeenHostKey, SshTarget } from './types.js';

export interface ConnectSettings {
  knownHosts: KnownHosts;
  log: Logger;
  connectTimeoutMs: number;
  keepaliveIntervalMs: number;
  keepaliveCountMax: number;
  keys: PreparedKeys;
}

/** A logged-in ssh2 client and the host key it saw. */
export interface Connected {
  client: Client;
  hostKey: SeenHostKey;
}

export function peerOf(target: SshTarget): SshPeer {
  return { host: target.host, port: target.port, user: target.user };
}

/** Connects and logs in: the key is checked first, the host key is checked against the known
 * hosts (recorded on first contact, refused when changed), and every failure is classified.
 * `signal` gives up at once (the pool closed): the socket is destroyed, nothing waits for the
 * server or the connect timeout. Over `socket` when given (already connected, nothing written,
 * the server's line unread). */
export function connectClient(
  target: SshTarget,
  settings: ConnectSettings,
  { signal, socket }: { signal?: AbortSignal; socket?: Socket | undefined } = {},
): Promise<Connected> {
  const peer = peerOf(target);
  const key = target.privateKey
    ? settings.keys.prepare(target.privateKey, target.passphrase, peer)
    : undefined;
  const auth: AuthRecord = { tried: [], methods: undefined };
  const trace = new NegotiationTrace();
  const facts: AttemptFacts = {
    peer,
    auth,
    mismatch: () => trace.mismatch(),
    timeoutMs: settings.connectTimeoutMs,
  };
  let seen: SeenHostKey | undefined;
  const client = new Client();

  const verifyHostKey = (blob: Buffer): boolean => {
    const check = checkHostKey(blob, peer, settings);
    seen = check.seen;
    facts.seenKey = check.seen;
    if (!check.refused) return true;
    facts.refusedKey = { ...check.seen, ...check.refused };
    return false;
  };

  const config: ConnectConfig = {
    host: target.host,
    port: target.port,
    username: target.user,
    readyTimeout: settings.connectTimeoutMs,
    keepaliveInterval: settings.keepaliveIntervalMs,
    keepaliveCountMax: settings.keepaliveCountMax,
    hostVerifier: verifyHostKey,
    authHandler: createAuthHandler({ user: target.user, password: target.password, key }, auth),
    debug: trace.record,
    ...(target.legacyAlgorithms ? { algorithms: LEGACY_ALGORITHMS } : {}),
    ...(socket ? { sock: socket } : {}),
  };

  return new Promise<Connected>((resolve, reject) => {
    const onError = (err: unknown): void => {
      signal?.removeEventListener('abort', onAbort);
      client.removeListener('ready', onReady);
      client.on('error', () => undefined);
      client.end();
      reject(classifyConnectError(err, facts));
    };
    const onAbort = (): void => {
      client.removeListener('ready', onReady);
      client.removeListener('error', onError);
      client.on('error', () => undefined);
      client.destroy();
      reject(sshError('disconnected', peer, { cause: 'the SSH pool was closed' }));
    };
    const onReady = (): void => {
      signal?.removeEventListener('abort', onAbort);
      client.removeListener('error', onError);
      // Later errors (a dropped socket, a keepalive timeout) end in 'close', which the
      // connection watches; they must not crash the process meanwhile.
      client.on('error', (err) =>
        settings.log.debug({ ...peer, err: err.message }, 'ssh connection error'),
      );
      resolve({ client, hostKey: seen! });
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    client.once('error', onError);
    client.once('ready', onReady);
    client.connect(config);
  });
}

/** What a refused (changed) key is refused for: the recorded key. */
interface RefusedKey {
  expected: string;
  knownKeyType?: string;
  knownFingerprint?: string;
}

/** Checks a host key blob against the known hosts; records it on first contact. A changed key
 * comes back `refused`, naming the recorded one, and is not recorded. */
function checkHostKey(
  blob: Buffer,
  peer: SshPeer,
  settings: ConnectSettings,
): { seen: SeenHostKey; refused?: RefusedKey } {
  const { keyType, fingerprint } = describeHostKey(blob);
  const verdict = settings.knownHosts.check(peer.host, peer.port, keyType, fingerprint);
  if (verdict === 'changed') {
    const recorded = settings.knownHosts.get?.(peer.host, peer.port);
    const refused: RefusedKey = recorded
      ? {
          expected: `${recorded.keyType} ${recorded.fingerprint}`,
          knownKeyType: recorded.keyType,
          knownFingerprint: recorded.fingerprint,
        }
      : { expected: 'another key' };
    settings.log.error(
      { host: peer.host, port: peer.port, keyType, fingerprint, expected: refused.expected },
      'host key changed',
    );
    return { seen: { keyType, fingerprint, firstContact: false }, refused };
  }
  if (verdict === 'new') {
    settings.knownHosts.remember(peer.host, peer.port, keyType, fingerprint);
    settings.log.info(
      { host: peer.host, port: peer.port, keyType, fingerprint },
      'host key recorded on first contact',
    );
  }
  return { seen: { keyType, fingerprint, firstContact: verdict === 'new' } };
}
