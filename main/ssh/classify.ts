import type { TopkeError } from '../contract/errors.js';
import type { AlgorithmMismatch } from './algorithms.js';
import type { AuthRecord } from './auth.js';
import { sshError, type SshErrorDetails, type SshPeer } from './errors.js';
import type { SeenHostKey } from './types.js';

/** What the connection attempt knows besides the error itself. */
export interface AttemptFacts {
  peer: SshPeer;
  auth: AuthRecord;
  /** Set when our host key check refused the key. */
  refusedKey?: SeenHostKey & {
    expected?: string;
    knownKeyType?: string;
    knownFingerprint?: string;
  };
  /** The key the host presented, once the key exchange got that far. */
  seenKey?: SeenHostKey;
  mismatch: () => AlgorithmMismatch | undefined;
  timeoutMs: number;
}

interface Ssh2Error extends Error {
  level?: string;
  code?: string | number;
}

const UNREACHABLE = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENOTFOUND', 'EAI_AGAIN']);
const RESET = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/** Turns an ssh2 connection error into the SSH error the engineer reads, by ssh2's error level
 * and the socket's error code (never by the message text). */
export function classifyConnectError(raw: unknown, facts: AttemptFacts): TopkeError {
  const err = classify(raw as Ssh2Error, facts);
  const details = err.details as SshErrorDetails;
  // A login that failed after the key exchange still names the key the host presented.
  if (facts.seenKey && !details.hostKey) details.hostKey = { ...facts.seenKey };
  return err;
}

function classify(err: Ssh2Error, facts: AttemptFacts): TopkeError {
  const { peer } = facts;
  const cause = err?.message;
  if (facts.refusedKey) {
    const { keyType, fingerprint, expected, knownKeyType, knownFingerprint } = facts.refusedKey;
    return sshError('host_key_changed', peer, {
      hostKey: { keyType, fingerprint, expected, knownKeyType, knownFingerprint },
    });
  }
  switch (err?.level) {
    case 'client-authentication':
      return authError(facts, cause);
    case 'client-timeout':
      return sshError('timeout', peer, { timeoutMs: facts.timeoutMs, cause });
    case 'client-dns':
      return sshError('unreachable', peer, { cause });
    case 'client-socket':
      return socketError(err, facts);
    case 'handshake': {
      const algorithms = facts.mismatch();
      if (algorithms) return sshError('algorithms', peer, { algorithms, cause });
      return sshError('protocol', peer, { cause });
    }
    case 'protocol':
      return sshError('protocol', peer, { cause });
  }
  // A DISCONNECT from the server carries a numeric reason code and no level.
  if (typeof err?.code === 'number' && facts.auth.tried.length > 0) return authError(facts, cause);
  return sshError('disconnected', peer, { cause: cause ?? String(err) });
}

function authError(facts: AttemptFacts, cause: string | undefined): TopkeError {
  return sshError('auth', facts.peer, {
    methods: facts.auth.methods,
    tried: facts.auth.tried,
    cause,
  });
}

function socketError(err: Ssh2Error, facts: AttemptFacts): TopkeError {
  const code = String(err.code ?? '');
  if (code === 'ECONNREFUSED') return sshError('connect_refused', facts.peer, { cause: code });
  if (UNREACHABLE.has(code)) return sshError('unreachable', facts.peer, { cause: code });
  if (code === 'ETIMEDOUT')
    return sshError('timeout', facts.peer, { timeoutMs: facts.timeoutMs, cause: code });
  if (RESET.has(code)) return sshError('disconnected', facts.peer, { cause: code });
  return sshError('protocol', facts.peer, { cause: code || err.message });
}
