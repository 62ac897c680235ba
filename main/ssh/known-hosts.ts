import type { Db } from '../store/db.js';
import type { ChangedHostKey, KnownHostEntry, KnownHostsStore } from './types.js';

interface Row {
  host: string;
  port: number;
  key_type: string;
  fingerprint: string;
  first_seen: number;
}

function toEntry(row: Row): KnownHostEntry {
  return {
    host: row.host,
    port: row.port,
    keyType: row.key_type,
    fingerprint: row.fingerprint,
    firstSeen: row.first_seen,
  };
}

/** One store per database: the HTTP server, the CLI and Electron each open one database and
 * create their services over it, and every pool of that process (a deploy, a scan, a preflight,
 * the host key operations) must see the same changed keys. */
const stores = new WeakMap<Db, KnownHostsStore>();

/** The known host keys of this database (the same store for every caller in the process). */
export function createKnownHostsStore(db: Db): KnownHostsStore {
  let store = stores.get(db);
  if (!store) {
    store = openKnownHostsStore(db);
    stores.set(db, store);
  }
  return store;
}

/** Known host keys in the `known_hosts` table. A key that differs from the recorded one is kept
 * aside in `changed_host_keys`, so that the engineer can accept exactly the key that was seen,
 * after a restart too. */
function openKnownHostsStore(db: Db): KnownHostsStore {
  const select = db.prepare<[string, number], Row>(
    'SELECT host, port, key_type, fingerprint, first_seen FROM known_hosts WHERE host = ? AND port = ?',
  );
  const upsert = db.prepare(
    `INSERT INTO known_hosts (host, port, key_type, fingerprint, first_seen) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (host, port) DO UPDATE SET key_type = excluded.key_type,
       fingerprint = excluded.fingerprint, first_seen = excluded.first_seen`,
  );
  const remove = db.prepare('DELETE FROM known_hosts WHERE host = ? AND port = ?');
  const pending = changedKeys(db);

  const store: KnownHostsStore = {
    get(host, port) {
      const row = select.get(host, port);
      return row ? toEntry(row) : undefined;
    },
    check(host, port, keyType, fingerprint) {
      const row = select.get(host, port);
      if (!row) return 'new';
      if (row.fingerprint === fingerprint) {
        // The host shows its recorded key again: an earlier different key is no longer current.
        pending.delete(host, port);
        return 'match';
      }
      pending.set({ host, port, keyType, fingerprint, seenAt: now() });
      return 'changed';
    },
    remember(host, port, keyType, fingerprint) {
      upsert.run(host, port, keyType, fingerprint, now());
      pending.delete(host, port);
    },
    accept(host, port, key) {
      const chosen = key ?? pending.get(host, port);
      if (chosen) store.remember(host, port, chosen.keyType, chosen.fingerprint);
      else store.forget(host, port);
    },
    forget(host, port) {
      remove.run(host, port);
      pending.delete(host, port);
    },
    changed(host, port) {
      return pending.get(host, port);
    },
    list() {
      return db
        .prepare<[], Row>('SELECT * FROM known_hosts ORDER BY host, port')
        .all()
        .map(toEntry);
    },
  };
  return store;
}

interface ChangedRow {
  host: string;
  port: number;
  keyType: string;
  fingerprint: string;
  seenAt: number;
}

/** The `changed_host_keys` table: at most one different key per host and port. */
function changedKeys(db: Db): {
  get(host: string, port: number): ChangedHostKey | undefined;
  set(key: ChangedHostKey): void;
  delete(host: string, port: number): void;
} {
  const select = db.prepare<[string, number], ChangedRow>(
    `SELECT host, port, key_type AS keyType, fingerprint, seen_at AS seenAt
       FROM changed_host_keys WHERE host = ? AND port = ?`,
  );
  const upsert = db.prepare(
    `INSERT INTO changed_host_keys (host, port, key_type, fingerprint, seen_at)
     VALUES (@host, @port, @keyType, @fingerprint, @seenAt)
     ON CONFLICT (host, port) DO UPDATE SET key_type = excluded.key_type,
       fingerprint = excluded.fingerprint, seen_at = excluded.seen_at`,
  );
  const remove = db.prepare('DELETE FROM changed_host_keys WHERE host = ? AND port = ?');
  return {
    get: (host, port) => select.get(host, port),
    set: (key) => void upsert.run(key),
    delete: (host, port) => void remove.run(host, port),
  };
}

const now = (): number => Math.floor(Date.now() / 1000);
