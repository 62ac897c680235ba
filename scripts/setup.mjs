#!/usr/bin/env node
// Installs the project from the lock file and builds it. Electron's binary is fetched separately:
// where it cannot be downloaded (an offline build machine), setup still succeeds and `npm start`
// runs the headless mode instead of the desktop app.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fetchElectronSqlite } from './electron-sqlite.mjs';

function run(cmd, args, env = {}) {
  const res = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return res.status === 0;
}

if (!run('npm', ['ci', '--no-audit', '--no-fund'], { ELECTRON_SKIP_BINARY_DOWNLOAD: '1' }))
  process.exit(1);
if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  console.error(
    'ELECTRON_SKIP_BINARY_DOWNLOAD is set: the desktop app is not installed; `npm start` runs headless.',
  );
} else if (existsSync('node_modules/electron/install.js')) {
  const ok =
    spawnSync(process.execPath, ['node_modules/electron/install.js'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    }).status === 0;
  if (!ok)
    console.error(
      'Electron could not be downloaded here: `npm start` runs the headless mode (API and app in a browser).',
    );
  else if (!fetchElectronSqlite())
    console.error(
      'Electron is installed, but better-sqlite3 for it is not: `npm start` runs the headless mode.',
    );
  else console.error('Electron is installed: `npm start` opens the desktop app.');
}
if (!run('npm', ['run', 'build'])) process.exit(1);
// `topke` on the PATH: a global link to this checkout (may need rights over npm's global folder).
const linked = spawnSync('npm', ['link', '--no-audit', '--no-fund', '--ignore-scripts'], {
  stdio: 'ignore',
});
console.error(
  linked.status === 0
    ? 'The `topke` command is on the PATH (npm link).'
    : 'Could not link `topke` onto the PATH here; run it as `node bin/topke.js` from this folder.',
);
