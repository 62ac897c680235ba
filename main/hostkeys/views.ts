import type { HostKeyChange, HostKeySeen, KnownHostView } from '../contract/results.js';
import type { SshErrorDetails } from '../ssh/errors.js';
import type { KnownHostEntry, KnownHostsStore, SeenHostKey } from '../ssh/types.js';

/** A recorded key as the API shows it, with the different key seen since, if any. */
export function knownHostView(entry: KnownHostEntry, store: KnownHostsStore): KnownHostView {
  const changed = store.changed(entry.host, entry.port);
  return {
    host: entry.host,
    port: entry.port,
    key_type: entry.keyType,
    fingerprint: entry.fingerprint,
    first_seen: entry.firstSeen,
    changed: changed
      ? { key_type: changed.keyType, fingerprint: changed.fingerprint, seen_at: changed.seenAt }
      : null,
  };
}

/** The hosts among `hosts` whose key differs from the recorded one and is not accepted yet. */
export function hostKeyChanges(store: KnownHostsStore, hosts: string[]): HostKeyChange[] {
  const wanted = new Set(hosts);
  return store.list().flatMap((entry) => {
    const changed = wanted.has(entry.host) ? store.changed(entry.host, entry.port) : undefined;
    if (!changed) return [];
    return [
      {
        host: entry.host,
        port: entry.port,
        key_type: changed.keyType,
        fingerprint: changed.fingerprint,
        known_key_type: entry.keyType,
        known_fingerprint: entry.fingerprint,
        seen_at: changed.seenAt,
      },
    ];
  });
}

/** The key of a session that logged in. */
export function seenKeyView(key: SeenHostKey): HostKeySeen {
  return { key_type: key.keyType, fingerprint: key.fingerprint, first_contact: key.firstContact };
}

/** The key an SSH error names (a changed key, or the key of a host whose login failed). */
export function errorKeyView(
  details: Partial<SshErrorDetails> | undefined,
): HostKeySeen | undefined {
  const key = details?.hostKey;
  if (!key) return undefined;
  const view: HostKeySeen = { key_type: key.keyType, fingerprint: key.fingerprint };
  if (key.firstContact !== undefined) view.first_contact = key.firstContact;
  if (key.knownFingerprint) {
    view.known_key_type = key.knownKeyType ?? key.keyType;
    view.known_fingerprint = key.knownFingerprint;
  }
  return view;
}
