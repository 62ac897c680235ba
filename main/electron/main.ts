// The desktop shell: services in the main process, one sandboxed window, IPC as the only bridge.
import { app, BrowserWindow, ipcMain, session } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createServices } from '../api.js';
import { createContext, resolveDataDir } from '../context.js';
import { forwardProgress, registerIpcHandlers } from './ipc.js';
import { electronSqliteBinding } from './sqlite-binding.js';

const here = dirname(fileURLToPath(import.meta.url));
const rendererIndex = join(here, '..', '..', 'renderer', 'index.html');
const appUrl = pathToFileURL(rendererIndex).href;

async function start(): Promise<void> {
  await app.whenReady();
  const ctx = createContext(
    resolveDataDir(process.env.TOPKE_DATA_DIR ? undefined : join(app.getPath('userData'), 'data')),
    { sqliteBinding: electronSqliteBinding(join(here, '..', '..', '..'), app.isPackaged) },
  );
  const services = createServices(ctx);
  registerIpcHandlers(
    ipcMain,
    services.api,
    (url) => url === appUrl || url.startsWith(`${appUrl}#`),
  );
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) =>
    callback(false),
  );
  const window = new BrowserWindow({
    width: 1280,
    height: 860,
    title: 'TopKE Installer',
    webPreferences: {
      preload: join(here, '..', '..', 'preload', 'index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  window.webContents.on('will-navigate', (event, url) => {
    if (!url.startsWith(appUrl)) event.preventDefault();
  });
  const stopProgress = forwardProgress(ctx.events, window.webContents);
  window.on('closed', stopProgress);
  await window.loadFile(rendererIndex);
  app.on('window-all-closed', () => {
    void services.close().finally(() => {
      ctx.db.close();
      app.quit();
    });
  });
}

void start();
