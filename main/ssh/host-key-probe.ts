import { Client } from 'ssh2';
import type { TopkeError } from '../contract/errors.js';
import { LEGACY_ALGORITHMS, NegotiationTrace } from './algorithms.js';
import { classifyConnectError } from './classify.js';
import type { SshPeer } from './errors.js';
import { describeHostKey, type HostKeyInfo } from './host-key.js';

/** Names the probe in error sentences: it logs in as nobody. */
const PROBE_USER = 'hostkey-check';

/** Reads the key a host presents now, without logging in: the key exchange runs, the key is
 * kept, and refusing it ends the connection before any credential is sent. The legacy lists only
 * add to the end of the defaults, so a host that a normal login reaches presents the same key
 * here. Fails with the SSH layer's classified error when no key was presented. */
export function probeHostKey(host: string, port: number, timeoutMs = 10_000): Promise<HostKeyInfo> {
  const peer: SshPeer = { host, port, user: PROBE_USER };
  const trace = new NegotiationTrace();
  const client = new Client();
  let seen: HostKeyInfo | undefined;

  return new Promise<HostKeyInfo>((resolve, reject) => {
    const settle = (err?: unknown): void => {
      client.removeAllListeners();
      client.on('error', () => undefined);
      client.end();
      if (seen) resolve(seen);
      else reject(probeError(err, peer, trace, timeoutMs));
    };
    client.once('error', settle);
    client.once('ready', () => settle());
    client.once('close', () => settle(new Error('the connection closed before a key was shown')));
    client.connect({
      host,
      port,
      username: PROBE_USER,
      readyTimeout: timeoutMs,
      algorithms: LEGACY_ALGORITHMS,
      debug: trace.record,
      hostVerifier: (blob: Buffer) => {
        seen = describeHostKey(blob);
        return false;
      },
    });
  });
}

function probeError(
  err: unknown,
  peer: SshPeer,
  trace: NegotiationTrace,
  timeoutMs: number,
): TopkeError {
  return classifyConnectError(err, {
    peer,
    auth: { tried: [], methods: undefined },
    mismatch: () => trace.mismatch(),
    timeoutMs,
  });
}
