// Electron runs its own Node ABI, so better-sqlite3 built for the machine's Node (the command line,
// the tests) cannot load in the desktop app. Setup fetches a second build, for Electron, into
// native/electron/; the app's main process loads that one (main/electron/sqlite-binding.ts).
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ELECTRON_SQLITE_DIR = join('native', 'electron');
const BINDING = join(ELECTRON_SQLITE_DIR, 'better_sqlite3.node');
const STAMP = join(ELECTRON_SQLITE_DIR, 'electron-version');

/** The installed Electron's binary, or null when its download did not happen. */
export function electronBinary() {
  try {
    const dir = join('node_modules', 'electron');
    const rel = readFileSync(join(dir, 'path.txt'), 'utf8').trim();
    const bin = join(dir, 'dist', rel);
    return existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

function electronVersion() {
  return JSON.parse(readFileSync(join('node_modules', 'electron', 'package.json'), 'utf8')).version;
}

/** True when native/electron/ holds better-sqlite3 built for the installed Electron. */
export function hasElectronSqlite() {
  try {
    return existsSync(BINDING) && readFileSync(STAMP, 'utf8').trim() === electronVersion();
  } catch {
    return false;
  }
}

/** Downloads better-sqlite3's prebuilt binary for the installed Electron (its own prebuild-install,
 * from the package's releases) into native/electron/. Answers whether it is there. */
export function fetchElectronSqlite() {
  if (hasElectronSqlite()) return true;
  const work = mkdtempSync(join(tmpdir(), 'topke-electron-sqlite-'));
  try {
    copyFileSync(
      join('node_modules', 'better-sqlite3', 'package.json'),
      join(work, 'package.json'),
    );
    const version = electronVersion();
    const bin = resolve('node_modules', 'prebuild-install', 'bin.js');
    const res = spawnSync(process.execPath, [bin, '--runtime', 'electron', '--target', version], {
      cwd: work,
      stdio: ['ignore', 'ignore', 'pipe'],
      encoding: 'utf8',
    });
    const built = join(work, 'build', 'Release', 'better_sqlite3.node');
    if (res.status !== 0 || !existsSync(built)) {
      console.error(`better-sqlite3 for Electron ${version} could not be fetched: ${res.stderr}`);
      return false;
    }
    mkdirSync(ELECTRON_SQLITE_DIR, { recursive: true });
    copyFileSync(built, BINDING);
    writeFileSync(STAMP, version);
    return true;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
