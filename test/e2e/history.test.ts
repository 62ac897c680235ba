/**
 * The cluster history in headless Chromium: import kubeconfigs (files and pasted text, one
 * context broken), see them listed, sort, filter, open, delete with a confirmation, reload.
 * The API servers are stand-ins on 127.0.0.1 answering /version over mutual TLS.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminKubeconfig, kubeconfigYaml } from '../kubeconfig/build.js';
import { createFixture, TOKEN, type Fixture } from '../kubeconfig/fixture.js';
import { b64 } from '../kubeconfig/pki.js';
import { launchBrowser, type Browser } from './browser.js';
import { requireBuilt, startServer, type Server } from './server.js';
import { HistoryPage } from './pages/history-page.js';
import { ImportPage } from './pages/import-page.js';

describe('cluster history in a browser', () => {
  let f: Fixture;
  let files: string;
  let dataDir: string;
  let server: Server;
  let browser: Browser;
  let history: HistoryPage;
  let importer: ImportPage;
  const token = randomBytes(18).toString('base64url');

  /** Two contexts: "good" for the API server, "broken" whose user is missing. */
  function twoContexts(): string {
    return kubeconfigYaml({
      clusters: [
        {
          name: 'k',
          cluster: { server: f.api.url, 'certificate-authority-data': b64(f.pki.ca.cert) },
        },
      ],
      users: [
        {
          name: 'admin',
          user: {
            'client-certificate-data': b64(f.admin.cert),
            'client-key-data': b64(f.admin.key),
          },
        },
      ],
      contexts: [
        { name: 'good', context: { cluster: 'k', user: 'admin' } },
        { name: 'broken', context: { cluster: 'k', user: 'nobody' } },
      ],
      current: 'good',
    });
  }

  beforeAll(async () => {
    requireBuilt();
    f = await createFixture();
    files = mkdtempSync(join(tmpdir(), 'topke-e2e-kubeconfigs-'));
    writeFileSync(
      join(files, 'alpha.kubeconfig'),
      adminKubeconfig(f.api.url, f.pki.ca.cert, f.admin),
    );
    writeFileSync(join(files, 'delta.yaml'), twoContexts());
    dataDir = mkdtempSync(join(tmpdir(), 'topke-e2e-history-'));
    server = await startServer(dataDir, token);
    browser = await launchBrowser();
    history = new HistoryPage(browser.page);
    importer = new ImportPage(browser.page);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await f?.close();
    if (files) rmSync(files, { recursive: true, force: true });
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('reads the kubeconfig files and shows every context, the broken one with its reason', async () => {
    await history.openAt(server.url);
    await importer.openFromHistory();
    await importer.addFiles([join(files, 'alpha.kubeconfig'), join(files, 'delta.yaml')]);
    expect(await importer.statuses()).toEqual(['ready', 'ready']);
    expect((await importer.context('good')).valid).toBe('true');
    const broken = await importer.context('broken');
    expect(broken.valid).toBe('false');
    expect(broken.problems).toContain('nobody');
  });

  it('takes pasted YAML too', async () => {
    const yaml = adminKubeconfig(f.open.url, f.pki.ca.cert, f.admin, 'open');
    await importer.paste(yaml, 'charlie');
    expect(await importer.statuses()).toEqual(['ready', 'ready', 'ready']);
  });

  it('takes a dropped UTF-16 file with a byte order mark', async () => {
    const yaml = adminKubeconfig(f.api.url, f.pki.ca.cert, f.admin, 'echo');
    await importer.dropUtf16File('echo.kubeconfig', yaml);
    expect(await importer.statuses()).toEqual(['ready', 'ready', 'ready', 'ready']);
    expect(await importer.lastEncoding()).toEqual({ charset: 'utf-16le', bom: 'true' });
  });

  it('imports the valid contexts and lists them', async () => {
    await importer.importAll();
    expect(await importer.statuses()).toEqual(['done', 'done', 'done', 'done']);
    await importer.back();
    await history.waitForNameSet(['alpha', 'charlie', 'delta', 'echo']);
    expect(await history.stateOf('alpha')).toBe('running');
  });

  it('sorts by name, both ways', async () => {
    const first = await history.sortBy('name');
    expect(first.by).toBe('TopKESortByName');
    const ascending = ['alpha', 'charlie', 'delta', 'echo'];
    await history.waitForNames(first.desc === 'true' ? [...ascending].reverse() : ascending);
    const second = await history.sortBy('name');
    expect(second.desc).not.toBe(first.desc);
    await history.waitForNames(second.desc === 'true' ? [...ascending].reverse() : ascending);
  });

  it('filters by text', async () => {
    await history.filter('char');
    await history.waitForNames(['charlie']);
    await history.filter('');
    await history.waitForNameSet(['alpha', 'charlie', 'delta', 'echo']);
  });

  it('opens a cluster with the version its API server reported', async () => {
    await history.open('charlie');
    expect(await history.detailVersion()).toBe('v1.28.11');
  });

  it('deletes a cluster after the confirmation, and it stays gone after a reload', async () => {
    await history.deleteOpenCluster();
    await history.row('charlie').waitFor({ state: 'detached' });
    expect((await history.names()).sort()).toEqual(['alpha', 'delta', 'echo']);
    await browser.page.reload();
    await history.row('alpha').waitFor();
    expect((await history.names()).sort()).toEqual(['alpha', 'delta', 'echo']);
  });

  it('runs an exec credential plugin only once the engineer ticks the command shown', async () => {
    const marker = join(files, 'plugin-ran');
    const credential = JSON.stringify({
      apiVersion: 'client.authentication.k8s.io/v1',
      kind: 'ExecCredential',
      status: { token: TOKEN },
    });
    const script = `touch ${marker}; echo '${credential}'`;
    const yaml = kubeconfigYaml({
      clusters: [
        {
          name: 'k',
          cluster: { server: f.api.url, 'certificate-authority-data': b64(f.pki.ca.cert) },
        },
      ],
      users: [
        {
          name: 'sso',
          user: {
            exec: {
              apiVersion: 'client.authentication.k8s.io/v1',
              command: 'sh',
              args: ['-c', script],
            },
          },
        },
      ],
      contexts: [{ name: 'sso@k', context: { cluster: 'k', user: 'sso' } }],
      current: 'sso@k',
    });
    await importer.openFromHistory();
    await importer.paste(yaml, 'foxtrot');
    const [plugin, ...others] = await importer.execPlugins();
    expect(others).toEqual([]);
    expect(plugin!.commandLine).toBe(`sh -c '${script.replace(/'/g, `'\\''`)}'`);

    await importer.importAll();
    expect(await importer.statuses()).toEqual(['failed']);
    expect(await importer.lastError()).toMatchObject({ field: 'users["sso"].user.exec' });
    expect(existsSync(marker)).toBe(false);

    await importer.allowExec(plugin!.fingerprint);
    await importer.importAll();
    expect(await importer.statuses()).toEqual(['done']);
    expect(existsSync(marker)).toBe(true);
    await importer.back();
    expect(await history.stateOf('foxtrot')).toBe('running');
  });

  it('says how to get a token when the address has none, or a wrong one', async () => {
    for (const [address, reason] of [
      [server.origin, 'missing'],
      [`${server.origin}#token=not-the-token`, 'refused'],
    ] as const) {
      const tab = await browser.context.newPage(); // a new tab: its own session storage
      try {
        await tab.goto(address);
        if (reason === 'refused') await tab.getByTestId('nav-clusters').click();
        await tab.locator(`[data-testid="auth-missing"][data-reason="${reason}"]`).waitFor();
        expect(await tab.getByTestId('cluster-table').count()).toBe(0);
      } finally {
        await tab.close();
      }
    }
  });

  it('logged no errors in the page', () => {
    expect(browser.errors).toEqual([]);
  });
});
