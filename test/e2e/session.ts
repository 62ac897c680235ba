/** What a browser test runs against: lab hosts, a test bundle for tests that deploy, `topke
 * serve` on a fresh data folder, and headless Chromium. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { buildTestBundle, type TestBundle } from '../lab/bundle.js';
import { createLab, type HostSpec, type Lab } from '../lab/lab.js';
import { launchBrowser, type Browser } from './browser.js';
import { requireBuilt, startServer, type Server } from './server.js';

/** Lab hosts, `topke serve` on a fresh data folder, and headless Chromium. */
export interface LabSession {
  lab: Lab;
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

/** A lab session with a test bundle, for tests that deploy. */
export interface BrowserSession extends LabSession {
  bundle: TestBundle;
}

/** Makes the lab hosts, the bundle (when asked), the data folder, the server and the browser, in
 * that order; when a step fails, what was made before it is removed again. */
async function start(
  subnet: number,
  hosts: HostSpec[],
  token: string,
  withBundle: boolean,
): Promise<LabSession & { bundle?: TestBundle }> {
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
    if (withBundle) made.bundle = await buildTestBundle();
    made.dataDir = mkdtempSync(join(tmpdir(), 'topke-e2e-data-'));
    made.server = await startServer(made.dataDir, token);
    made.browser = await launchBrowser();
  } catch (err) {
    await teardown();
    throw err;
  }
  const session = made as LabSession & { bundle?: TestBundle };
  session.restartServer = async () => {
    await session.server.stop();
    session.server = await startServer(session.dataDir, token);
    return session.server;
  };
  session.teardown = teardown;
  return session;
}

/** Lab hosts, server and browser, for tests that do not deploy. */
export function startLabSession(
  subnet: number,
  hosts: HostSpec[],
  token = randomBytes(18).toString('base64url'),
): Promise<LabSession> {
  return start(subnet, hosts, token, false);
}

/** Lab hosts, a test bundle, server and browser. */
export async function startBrowserSession(
  subnet: number,
  hosts: HostSpec[],
  token = randomBytes(18).toString('base64url'),
): Promise<BrowserSession> {
  return (await start(subnet, hosts, token, true)) as BrowserSession;
}
