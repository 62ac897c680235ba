import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import type { TopkeError } from '../../main/contract/errors.js';
import { createLogger } from '../../main/log.js';
import { createKnownHostsStore } from '../../main/ssh/known-hosts.js';
import { createSshPool, type SshPoolOptions } from '../../main/ssh/pool.js';
import type { KnownHostsStore, SshPool } from '../../main/ssh/types.js';
import { openDatabase, type Db } from '../../main/store/db.js';
import { rejection } from '../support/errors.js';

/** A real SQLite file in a temp folder, its known-hosts store, and a pool over them. */
export interface SshFixture {
  dir: string;
  db: Db;
  knownHosts: KnownHostsStore;
  pool: SshPool;
  newPool(options?: Partial<SshPoolOptions>): SshPool;
  cleanup(): Promise<void>;
}

export function createSshFixture(options: Partial<SshPoolOptions> = {}): SshFixture {
  const dir = mkdtempSync(join(tmpdir(), 'topke-ssh-'));
  const db = openDatabase(dir);
  const knownHosts = createKnownHostsStore(db);
  const log = createLogger(null, 'silent');
  const pools: SshPool[] = [];
  const newPool = (extra: Partial<SshPoolOptions> = {}): SshPool => {
    const pool = createSshPool({ knownHosts, log, connectTimeoutMs: 8000, ...options, ...extra });
    pools.push(pool);
    return pool;
  };
  return {
    dir,
    db,
    knownHosts,
    pool: newPool(),
    newPool,
    async cleanup() {
      for (const pool of pools) await pool.closeAll();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface KeyPair {
  privateKey: string;
  publicKey: string;
  path: string;
}

/** Makes a key pair with ssh-keygen in `dir`: `type` like "ed25519", extra args e.g. -m PEM. */
export function sshKeygen(
  dir: string,
  name: string,
  type: string,
  extra: string[] = [],
  passphrase = '',
): KeyPair {
  const path = join(dir, name);
  execFileSync('ssh-keygen', [
    '-q',
    '-t',
    type,
    '-N',
    passphrase,
    '-C',
    name,
    '-f',
    path,
    ...extra,
  ]);
  return {
    path,
    privateKey: readFileSync(path, 'utf8'),
    publicKey: readFileSync(`${path}.pub`, 'utf8').trim(),
  };
}

const tempDirs: string[] = [];
// Registered on the test file that imports these helpers: its key folders go when it ends.
afterAll(() => tempDirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A folder for a test's keys, removed when the test file ends. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'topke-keys-'));
  tempDirs.push(dir);
  return dir;
}

/** Awaits a promise that must fail with an SSH TopkeError of this kind; returns the error. */
export async function expectSshError(
  pending: Promise<unknown>,
  kind: string,
  code: 'ssh_failed' | 'host_key_changed' = 'ssh_failed',
): Promise<TopkeError> {
  const topke = await rejection(
    pending,
    `a call expected to fail with an SSH error of kind ${kind}`,
  );
  expect({ code: topke.code, kind: (topke.details as { kind: string }).kind }).toEqual({
    code,
    kind,
  });
  return topke;
}
