import { homedir } from 'node:os';
import { join } from 'node:path';
import { ProgressBus } from './events.js';
import { createLogger, type Logger } from './log.js';
import { prepareDataDir } from './store/data-dir.js';
import { openDatabase, type Db } from './store/db.js';
import { openSecretBox, secretKeyMissing, type SecretBox } from './store/secrets.js';

/** What every service receives: the database, the secret box, the data folder, a logger, the bus. */
export interface ServiceContext {
  db: Db;
  secrets: SecretBox;
  dataDir: string;
  log: Logger;
  events: ProgressBus;
}

/** Which setting chose the data folder, as resolveDataDir picks it. */
export function dataDirSource(explicit?: string): string {
  if (explicit) return '--data-dir';
  return process.env.TOPKE_DATA_DIR ? 'TOPKE_DATA_DIR' : 'XDG_DATA_HOME';
}

/** The data folder: an explicit choice, then TOPKE_DATA_DIR, then the XDG data folder. */
export function resolveDataDir(explicit?: string): string {
  if (explicit) return explicit;
  if (process.env.TOPKE_DATA_DIR) return process.env.TOPKE_DATA_DIR;
  const xdg = process.env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(xdg, 'topke-installer');
}

export interface ContextOptions {
  logToFile?: boolean;
  /** better-sqlite3's addon for this runtime, when it is not the one npm built (Electron). */
  sqliteBinding?: string;
  /** Where the data folder's path came from, named in an error about it (e.g. "--data-dir"). */
  dataDirField?: string;
}

export function createContext(dataDir: string, options: ContextOptions = {}): ServiceContext {
  prepareDataDir(dataDir, options.dataDirField ?? 'data_dir');
  const db = openDatabase(dataDir, options.sqliteBinding);
  const newKey = secretKeyMissing(dataDir);
  const log = createLogger(options.logToFile === false ? null : dataDir);
  if (newKey && sealedSecretCount(db) > 0) {
    const warning = `${join(dataDir, 'secret.key')} was missing and a new one was made: the secrets saved before (kubeconfigs, SSH logins, registry passwords) cannot be read until the original file is restored`;
    log.warn(warning);
    process.stderr.write(`warning: ${warning}\n`);
  }
  return { db, secrets: openSecretBox(dataDir), dataDir, log, events: new ProgressBus() };
}

/** How many rows hold a secret sealed with the data folder's key. */
function sealedSecretCount(db: Db): number {
  const row = db
    .prepare(
      `SELECT (SELECT count(*) FROM clusters WHERE kubeconfig_enc IS NOT NULL OR ssh_enc IS NOT NULL)
            + (SELECT count(*) FROM registries WHERE password_enc IS NOT NULL) AS n`,
    )
    .get() as { n: number };
  return row.n;
}
