/** What a browser test of the wizard runs against: lab hosts, a test bundle, `topke serve` on a
 * fresh data folder, and headless Chromium. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { buildTestBundle, type TestBundle } from '../lab/bundle.js';
import { createLab, type HostSpec, type Lab } from '../lab/lab.js';
import { launchBrowser, type Browser } from './browser.js';
import { requireBuilt, startServer, type Server } from './server.js';

export interface BrowserSession {
  lab: Lab;
  bundle: TestBundle;
  dataDir: string;
  token: string;
  /** The server running now (a new one after `restartServer`). */
  server: Server;
  browser: Browser;
  /** Stops the server and starts it again on the same data folder and token. */
  restartServer(): Promise<Server>;
  /** Closes the browser, stops the server and removes whatever the session made. */
  teardown(): Promise<void>;
}

/** Makes the lab hosts, the bundle, the data folder, the server and the browser, in that order;
 * when a step fails, what was made before it is removed again. */
export async function startBrowserSession(
  subnet: number,
  hosts: HostSpec[],
  token = randomBytes(18).toString('base64url'),
): Promise<BrowserSession> {
  requireBuilt();
  const made: Partial<BrowserSession> = { token };
  const teardown = async () => {
    await made.browser?.close();
    await made.server?.stop();
    made.lab?.teardown();
    made.bundle?.remove();
    if (made.dataDir) rmSync(made.dataDir, { recursive: true, force: true });
  };
  try {
    made.lab = createLab(subnet, hosts);
    made.bundle = await buildTestBundle();
    made.dataDir = mkdtempSync(join(tmpdir(), 'topke-e2e-data-'));
    made.server = await startServer(made.dataDir, token);
    made.browser = await launchBrowser();
  } catch (err) {
    await teardown();
    throw err;
  }
  const session = made as BrowserSession;
  session.restartServer = async () => {
    await session.server.stop();
    session.server = await startServer(session.dataDir, token);
    return session.server;
  };
  session.teardown = teardown;
  return session;
}
