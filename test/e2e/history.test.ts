/**
 * The cluster history in headless Chromium: import kubeconfigs (files and pasted text, one
 * context broken), see them listed, sort, filter, open, delete with a confirmation, reload.
 * The API servers are stand-ins on 127.0.0.1 answering /version over mutual TLS.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminKubeconfig, kubeconfigYaml } from '../kubeconfig/build.js';
import { createFixture, TOKEN, type Fixture } from '../kubeconfig/fixture.js';
import { b64 } from '../kubeconfig/pki.js';
import { startApiServer, type StandInApiServer } from '../support/apiserver.js';
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
  /** Stand-in API servers a test starts, closed at the end also when it fails. */
  const started: StandInApiServer[] = [];
  const DEFAULT_NAMES = ['alpha', 'delta', 'echo', 'foxtrot', 'lax', 'later'];

  /** Calls the service over HTTP as a script would (to set up what the browser then shows). */
  async function call(path: string, body: object): Promise<Record<string, unknown>> {
    const res = await fetch(`${server.origin}v1/topke/cluster${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const envelope = (await res.json()) as { scode: number; data: Record<string, unknown> };
    if (envelope.scode !== 0) throw new Error(`${path} failed: ${JSON.stringify(envelope)}`);
    return envelope.data;
  }

  /** A kubeconfig whose user logs in with a token, for the server on `port`. */
  function tokenKubeconfig(port: number): string {
    return kubeconfigYaml({
      clusters: [
        {
          name: 'k',
          cluster: {
            server: `https://127.0.0.1:${port}`,
            'certificate-authority-data': b64(f.pki.ca.cert),
          },
        },
      ],
      users: [{ name: 'u', user: { token: TOKEN } }],
      contexts: [{ name: 'u@k', context: { cluster: 'k', user: 'u' } }],
      current: 'u@k',
    });
  }

  async function apiServerOn(port: number, gitVersion: string): Promise<StandInApiServer> {
    const api = await startApiServer({
      ...f.pki.server({ ips: ['127.0.0.1'] }),
      tokens: [TOKEN],
      gitVersion,
      port,
    });
    started.push(api);
    return api;
  }

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
    await Promise.all(started.map((api) => api.close()));
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

  it('shows the nodes, the source and the certificate expiry of each cluster', async () => {
    const earliest = Math.min(
      ...[f.pki.ca.cert, f.admin.cert].map((pem) =>
        Math.floor(Date.parse(new X509Certificate(pem).validTo) / 1000),
      ),
    );
    const cells = await history.cells('alpha');
    expect(cells).toMatchObject({
      nodes: '0',
      source: 'imported',
      sourceText: 'Imported',
      certTime: String(earliest),
    });
    expect(cells.certText).toContain(String(new Date(earliest * 1000).getFullYear()));
  });

  it('warns at import about a context that does not verify the server certificate', async () => {
    const yaml = kubeconfigYaml({
      clusters: [{ name: 'k', cluster: { server: f.open.url, 'insecure-skip-tls-verify': true } }],
      users: [],
      contexts: [{ name: 'lax', context: { cluster: 'k' } }],
      current: 'lax',
    });
    await importer.openFromHistory();
    await importer.paste(yaml, 'lax');
    expect(await importer.contextInsecure('lax')).toBe(true);
    const before = await importer.lastNotices();
    expect(before).toHaveLength(1);
    expect(before[0]).toContain('insecure-skip-tls-verify');
    expect(before[0]).toContain('"lax"');
    await importer.importAll();
    expect(await importer.statuses()).toEqual(['done']);
    const after = await importer.lastNotices();
    expect(after.filter((n) => n.includes('insecure-skip-tls-verify'))).toHaveLength(2);
    await importer.back();
    expect(await history.stateOf('lax')).toBe('running');
  });

  it('checks a cluster again when its API server comes up, then when it changes', async () => {
    const port = f.closedPort;
    await importer.openFromHistory();
    await importer.paste(tokenKubeconfig(port), 'later');
    await importer.importAll();
    expect(await importer.statuses()).toEqual(['failed']);
    await importer.saveUnreachable();
    expect(await importer.statuses()).toEqual(['done']);
    await importer.back();
    expect(await history.stateOf('later')).toBe('unreachable');

    await history.open('later');
    await history.waitForDetailState('unreachable');
    expect(await history.detailVersion()).toBe('—');
    const first = await apiServerOn(port, 'v1.29.4');
    await history.checkNow({ state: 'running', version: 'v1.29.4' });
    await first.close();
    const second = await apiServerOn(port, 'v1.30.7');
    await history.checkNow({ state: 'running', version: 'v1.30.7' });
    expect(second.requests.map((r) => [r.path, r.auth])).toEqual([['/version', 'token']]);
    await second.close();
    // Gone again: unreachable, and the version last seen is kept.
    await history.checkNow({ state: 'unreachable', version: 'v1.30.7' });
    await history.back();
    expect(await history.stateOf('later')).toBe('unreachable');
  });

  it('downloads the kubeconfig stored for a cluster', async () => {
    const uuid = String(await history.row('alpha').getAttribute('data-uuid'));
    await history.open('alpha');
    const file = await history.downloadKubeconfig();
    const stored = await call('/kubeconfig/download', { uuid });
    expect(file.fileName).toBe('alpha.kubeconfig');
    expect(file.text).toBe(stored.kube_config_data);
    expect(file.text).toContain(`server: ${f.api.url}`);
    expect(file.text).toContain(b64(f.admin.cert));
    await history.back();
  });

  it('creates a tenant, shows only its clusters, renames it, and switches back', async () => {
    expect(await history.tenant()).toMatchObject({ name: 'default' });
    await history.createTenant('site-b');
    await history.waitForCount(0);
    await history.waitForTenantLabel('site-b (0)');
    const siteB = (await history.tenant()).uuid;

    await importer.openFromHistory();
    await importer.paste(adminKubeconfig(f.api.url, f.pki.ca.cert, f.admin, 'bravo'), 'bravo');
    await importer.importAll();
    await importer.back();
    await history.waitForNames(['bravo']);
    await history.waitForTenantLabel('site-b (1)');
    const listed = (await call('/list', { tenant_uuid: siteB })) as { list: { name: string }[] };
    expect(listed.list.map((c) => c.name)).toEqual(['bravo']);

    await history.renameTenant('Site B (north)');
    await history.waitForTenantLabel('Site B (north) (1)');
    expect(await history.tenant()).toEqual({ uuid: siteB, name: 'Site B (north)' });
    await history.waitForNames(['bravo']);

    await history.pickTenant('default');
    await history.waitForNameSet(DEFAULT_NAMES);
    await history.pickTenant('Site B (north)');
    await history.waitForNames(['bravo']);
  });

  it('pages: a smaller page size, the next page, and another tenant from its first page', async () => {
    await history.createTenant('paging');
    const tenant = (await history.tenant()).uuid;
    const names = Array.from({ length: 23 }, (_, i) => `p${String(i).padStart(2, '0')}`);
    const kubeconfig = adminKubeconfig(f.api.url, f.pki.ca.cert, f.admin);
    for (const Name of names)
      await call('/add', { Name, kube_config_data: kubeconfig, tenant_uuid: tenant });
    await history.pickTenant('default');
    await history.pickTenant('paging');
    await history.waitForCount(23);
    await history.sortByNameAscending();

    await history.setPageSize(20);
    const firstPage = await history.names();
    expect(firstPage.slice(0, 5)).toEqual(names.slice(0, 5));
    expect(firstPage).not.toContain('p20');
    await history.nextPage();
    await history.waitForNames(names.slice(20));

    // The default tenant has fewer clusters than a page: it is shown from its first page.
    await history.pickTenant('default');
    await history.waitForNameSet(DEFAULT_NAMES);
    expect(await history.row('alpha').isVisible()).toBe(true);
  });

  it('shows the default tenant when the tenant remembered from an earlier session is gone', async () => {
    await browser.page.evaluate(() =>
      localStorage.setItem('topke.tenant', 'abcdef00-0000-4000-8000-0000000000ee'),
    );
    await browser.page.reload();
    await history.waitForNameSet(DEFAULT_NAMES);
    expect(await history.tenant()).toMatchObject({ name: 'default' });
    expect(await browser.page.getByTestId('error-alert').count()).toBe(0);
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
