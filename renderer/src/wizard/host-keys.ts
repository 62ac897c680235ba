import type { HostKeyChange, HostKeyChangedDetails } from '../../../main/contract/results.js';
import type { ApiError } from '../api/index.js';

/** A host whose SSH key is not the recorded one: the engineer may accept exactly this key. */
export interface ChangedKey {
  host: string;
  port: number;
  keyType: string;
  fingerprint: string;
  knownFingerprint: string;
}

function isChangedDetails(value: unknown): value is HostKeyChangedDetails {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { kind?: unknown }).kind === 'host_key_changed'
  );
}

/** The changed key an error reports, if it is a host_key_changed error. */
export function changedKeyOf(error: ApiError | null): ChangedKey | null {
  if (!error || !isChangedDetails(error.details)) return null;
  const d = error.details;
  return {
    host: d.host,
    port: d.port,
    keyType: d.hostKey.keyType,
    fingerprint: d.hostKey.fingerprint,
    knownFingerprint: d.hostKey.knownFingerprint ?? '',
  };
}

/** The changed keys a deploy status lists. */
export function changedKeysOf(changes: HostKeyChange[] | undefined): ChangedKey[] {
  return (changes ?? []).map((c) => ({
    host: c.host,
    port: c.port,
    keyType: c.key_type,
    fingerprint: c.fingerprint,
    knownFingerprint: c.known_fingerprint,
  }));
}
