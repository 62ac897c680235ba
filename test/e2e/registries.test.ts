/**
 * The Registries view in headless Chromium against `topke serve`: a registry added with its CA
 * and password, its CA distributed to a lab cluster deployed in the test (one node down: each
 * node's outcome shown), and deleted after confirmation. The password never reaches the page.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployPlan, ROOT_PASSWORD } from '../deploy/harness.js';
import { createTestPki, type TestPki } from '../kubeconfig/pki.js';
import { buildTestBundle, type TestBundle } from '../lab/bundle.js';
import { createLab, type Lab } from '../lab/lab.js';
import { runTopke } from '../support/cli.js';
import { launchBrowser, type Browser } from './browser.js';
import { RegistriesPage } from './pages/registries-page.js';
import { requireBuilt, startServer, type Server } from './server.js';

const SUBNET = 142;
const ADDRESS = 'https://reg.e2e.lab:5443';
const CA_FILE = '/etc/containerd/certs.d/reg.e2e.lab:5443/ca.crt';
const PASSWORD = 'registry-E2e-Secret-77';

describe('the Registries view in a browser', () => {
  let lab: Lab;
  let bundle: TestBundle;
  let pki: TestPki;
  let dataDir: string;
  let server: Server;
  let browser: Browser;
  let view: RegistriesPage;

  beforeAll(async () => {
    requireBuilt();
    lab = createLab(
      SUBNET,
      [11, 12, 13].map((octet) => ({ octet, rootPassword: ROOT_PASSWORD })),
    );
    bundle = await buildTestBundle();
    pki = createTestPki();
    dataDir = mkdtempSync(join(tmpdir(), 'topke-e2e-registries-'));
    // The cluster is deployed by the command line on the same data folder the server reads.
    const plan = join(dataDir, 'plan.json');
    const workers = [lab.host(12), lab.host(13)];
    writeFileSync(plan, JSON.stringify(deployPlan('e2e142', [lab.host(11)], workers, bundle.dir)));
    const deployed = await runTopke(['deploy', plan, '--data-dir', dataDir]);
    expect(deployed.code, deployed.stderr).toBe(0);
    server = await startServer(dataDir, randomBytes(18).toString('base64url'));
    browser = await launchBrowser();
    view = new RegistriesPage(browser.page);
    await browser.page.goto(server.url);
    await view.openFromNav();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    lab?.teardown();
    bundle?.remove();
    pki?.cleanup();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('adds a registry, showing that it has a password but never the password', async () => {
    await view.add({ address: ADDRESS, user: 'robot', password: PASSWORD, ca: pki.ca.cert });
    const row = view.row(ADDRESS);
    expect(await row.getByTestId('registry-has-password').getAttribute('data-set')).toBe('true');
    expect(await row.getByTestId('registry-ca').innerText()).toContain('expires');
    expect(await browser.page.content()).not.toContain(PASSWORD);
  });

  it('names the field of a refused edit, and keeps the registry as it was', async () => {
    await view.openEditor(ADDRESS);
    await view.fillAddress('not an address');
    expect(await view.saveRefused()).toEqual({
      field: 'address',
      text: 'address: must be a registry address such as https://10.0.0.5 or reg.local:5000',
    });
    await view.cancelEditor();
    expect(await view.row(ADDRESS).count()).toBe(1);
  });

  it('distributes the CA and shows which nodes got it and why one did not', async () => {
    lab.host(13).stop();
    const nodes = await view.distribute(ADDRESS, 'e2e142');
    expect(nodes.map((n) => [n.ip, n.ok])).toEqual([
      [lab.host(11).ip, 'true'],
      [lab.host(12).ip, 'true'],
      [lab.host(13).ip, 'false'],
    ]);
    expect(nodes[0]!.text).toBe('CA put in place');
    expect(nodes[2]!.text).toMatch(
      /^failed\s+198\.18\.142\.13 \(w-13\): ssh root@198\.18\.142\.13:22: /,
    );
    expect(await view.distributeMessage()).toMatch(
      /^cluster e2e142: the CA could not be put on 1 of 3 nodes: 198\.18\.142\.13 \(w-13\)/,
    );
    for (const octet of [11, 12]) expect(lab.host(octet).readFile(CA_FILE)).toBe(pki.ca.cert);
    await view.closeDistribute();
  });

  it('deletes the registry after confirmation', async () => {
    await view.remove(ADDRESS);
    await browser.page.getByTestId('registry-none').waitFor();
    expect(browser.errors).toEqual([]);
  });
});
