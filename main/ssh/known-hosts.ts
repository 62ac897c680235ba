import type { Db } from '../store/db.js';
import type { KnownHostEntry, KnownHostsStore } from './types.js';

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

/** Known host keys in the `known_hosts` table. A key that differs from the recorded one is kept
 * aside (in memory) so that the engineer can accept exactly the key that was seen. */
export function createKnownHostsStore(db: Db): KnownHostsStore {
  const select = db.prepare<[string, number], Row>(
    'SELECT host, port, key_type, fingerprint, first_seen FROM known_hosts WHERE host = ? AND port = ?',
  );
  const upsert = db.prepare(
    `INSERT INTO known_hosts (host, port, key_type, fingerprint, first_seen) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (host, port) DO UPDATE SET key_type = excluded.key_type,
       fingerprint = excluded.fingerprint, first_seen = excluded.first_seen`,
  );
  const remove = db.prepare('DELETE FROM known_hosts WHERE host = ? AND port = ?');
  const pending = new Map<string, { keyType: string; fingerprint: string }>();
  const id = (host: string, port: number): string => `${host}:${port}`;

  const store: KnownHostsStore = {
    get(host, port) {
      const row = select.get(host, port);
      return row ? toEntry(row) : undefined;
    },
    check(host, port, keyType, fingerprint) {
      const row = select.get(host, port);
      if (!row) return 'new';
      if (row.fingerprint === fingerprint) return 'match';
      pending.set(id(host, port), { keyType, fingerprint });
      return 'changed';
    },
    remember(host, port, keyType, fingerprint) {
      upsert.run(host, port, keyType, fingerprint, Math.floor(Date.now() / 1000));
      pending.delete(id(host, port));
    },
    accept(host, port, key) {
      const chosen = key ?? pending.get(id(host, port));
      if (chosen) store.remember(host, port, chosen.keyType, chosen.fingerprint);
      else store.forget(host, port);
    },
    forget(host, port) {
      remove.run(host, port);
      pending.delete(id(host, port));
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
