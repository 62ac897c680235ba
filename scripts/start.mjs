#!/usr/bin/env node
// Starts the desktop app when Electron's binary and a display are there, else the headless mode.
import { spawn } from 'node:child_process';
import { electronBinary, hasElectronSqlite } from './electron-sqlite.mjs';

const hasDisplay =
  process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
// Without better-sqlite3 built for Electron the app could not open its database: run headless.
const electron = hasElectronSqlite() ? electronBinary() : null;
if (!electron && electronBinary())
  console.error(
    'better-sqlite3 for Electron is missing (run `npm run setup` again): headless mode.',
  );
const args = process.argv.slice(2);
const child =
  electron && hasDisplay && !args.includes('--headless')
    ? spawn(electron, ['.'], { stdio: 'inherit' })
    : spawn(
        process.execPath,
        ['bin/topke.js', 'serve', ...args.filter((a) => a !== '--headless')],
        { stdio: 'inherit' },
      );
child.on('exit', (code) => process.exit(code ?? 0));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
// `npm start` runs this under a shell that a signal to npm ends without passing it on: when the
// parent goes away, stop the app rather than leave it holding its port.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) child.kill('SIGTERM');
}, 1000).unref();
