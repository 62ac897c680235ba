import { homedir } from 'node:os';
import { join } from 'node:path';
import { ProgressBus } from './events.js';
import { createLogger, type Logger } from './log.js';
import { openDatabase, type Db } from './store/db.js';
import { openSecretBox, type SecretBox } from './store/secrets.js';

/** What every service receives: the database, the secret box, the data folder, a logger, the bus. */
export interface ServiceContext {
  db: Db;
  secrets: SecretBox;
  dataDir: string;
  log: Logger;
  events: ProgressBus;
}

/** The data folder: an explicit choice, then TOPKE_DATA_DIR, then the XDG data folder. */
export function resolveDataDir(explicit?: string): string {
  if (explicit) return explicit;
  if (process.env.TOPKE_DATA_DIR) return process.env.TOPKE_DATA_DIR;
  const xdg = process.env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(xdg, 'topke-installer');
}

export function createContext(
  dataDir: string,
  options: { logToFile?: boolean } = {},
): ServiceContext {
  const db = openDatabase(dataDir);
  return {
    db,
    secrets: openSecretBox(dataDir),
    dataDir,
    log: createLogger(options.logToFile === false ? null : dataDir),
    events: new ProgressBus(),
  };
}
