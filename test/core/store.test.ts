import { afterEach, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { electronSqliteBinding } from '../../main/electron/sqlite-binding.js';
import { openDatabase } from '../../main/store/db.js';
import { MIGRATIONS } from '../../main/store/migrations.js';
import { openSecretBox } from '../../main/store/secrets.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'topke-store-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('database', () => {
  it('uses WAL and records the schema version', () => {
    const db = openDatabase(tempDir());
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    db.close();
  });

  it('keeps data across reopening and does not migrate twice', () => {
    const dir = tempDir();
    const db = openDatabase(dir);
    db.prepare("INSERT INTO tenants (uuid, name, created_at) VALUES ('t1', 'site A', 1)").run();
    db.close();
    const again = openDatabase(dir);
    expect(again.prepare("SELECT name FROM tenants WHERE uuid = 't1'").get()).toEqual({
      name: 'site A',
    });
    again.close();
  });
});

describe('the addon for another runtime (the desktop app loads one built for Electron)', () => {
  const nodeAddon = join(
    dirname(createRequire(import.meta.url).resolve('better-sqlite3/package.json')),
    'build',
    'Release',
    'better_sqlite3.node',
  );

  it('opens the database through the addon it is given', () => {
    const dir = tempDir();
    const db = openDatabase(dir, nodeAddon);
    db.prepare("INSERT INTO tenants (uuid, name, created_at) VALUES ('t2', 'site B', 1)").run();
    db.close();
    const again = openDatabase(dir);
    expect(again.prepare("SELECT name FROM tenants WHERE uuid = 't2'").get()).toEqual({
      name: 'site B',
    });
    again.close();
  });

  it('uses the one in native/electron/ of the checkout, unless the app is packaged', () => {
    const root = tempDir();
    expect(electronSqliteBinding(root, false)).toBeUndefined();
    mkdirSync(join(root, 'native', 'electron'), { recursive: true });
    copyFileSync(nodeAddon, join(root, 'native', 'electron', 'better_sqlite3.node'));
    expect(electronSqliteBinding(root, false)).toBe(
      join(root, 'native', 'electron', 'better_sqlite3.node'),
    );
    expect(electronSqliteBinding(root, true)).toBeUndefined();
  });

  it('fails at once when the addon given is not there, leaving the data folder as it was', () => {
    const dir = tempDir();
    openDatabase(dir).close();
    const before = readFileSync(join(dir, 'topke.sqlite'));
    expect(() => openDatabase(dir, join(dir, 'missing.node'))).toThrow(/missing\.node/);
    expect(readFileSync(join(dir, 'topke.sqlite')).equals(before)).toBe(true);
  });
});

describe('secret box', () => {
  it('seals so that the clear text is not in the sealed bytes, and opens again', () => {
    const dir = tempDir();
    const box = openSecretBox(dir);
    const sealed = box.seal('hunter2-password');
    expect(sealed.toString('latin1')).not.toContain('hunter2');
    expect(openSecretBox(dir).open(sealed)).toBe('hunter2-password');
    expect(statSync(join(dir, 'secret.key')).mode & 0o077).toBe(0);
    expect(readFileSync(join(dir, 'secret.key')).length).toBe(32);
  });

  it('refuses tampered data', () => {
    const box = openSecretBox(tempDir());
    const sealed = box.seal('secret');
    sealed.writeUInt8(sealed.readUInt8(sealed.length - 1) ^ 1, sealed.length - 1);
    expect(() => box.open(sealed)).toThrow();
  });
});
