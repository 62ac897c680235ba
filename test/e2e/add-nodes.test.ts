/**
 * Adding a worker from a deployed cluster's detail view in headless Chromium: `topke serve` on a
 * fresh data folder, lab hosts with real sshd, a test bundle. The clusters are deployed over the
 * API, as a script would; the browser adds the worker, follows it to its end, and finds the node
 * listed after a reload. A host of another cluster is refused in the dialog, and an imported
 * cluster offers no way to add nodes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeconfigYaml } from '../kubeconfig/build.js';
import { buildTestBundle, type TestBundle } from '../lab/bundle.js';
import { createLab, type Lab } from '../lab/lab.js';
import { deployPlan } from '../deploy/harness.js';
import { launchBrowser, type Browser } from './browser.js';
import { requireBuilt, startServer, type Server } from './server.js';
import { AddNodesDialog } from './pages/add-nodes-dialog.js';
import { HistoryPage } from './pages/history-page.js';

const SUBNET = 63;
const ROOT_PASSWORD = 'e2e-Root-Secret-63';
/** The new worker's own: the cluster's stored login would not get in. */
const WORKER_PASSWORD = 'e2e-Worker-Secret-13';

describe('adding a worker from the cluster detail, in a browser', () => {
  let lab: Lab;
  let bundle: TestBundle;
  let dataDir: string;
  let server: Server;
  let browser: Browser;
  let history: HistoryPage;
  let dialog: AddNodesDialog;
  const token = randomBytes(18).toString('base64url');
  const ip = (octet: number) => `198.18.${SUBNET}.${octet}`;
  const uuids: Record<string, string> = {};

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

  /** Deploys over the API and waits (on its status) until the deploy is over and succeeded. */
  async function deploy(name: string, masters: number[], workers: number[]): Promise<void> {
    const hosts = (octets: number[]) => octets.map((o) => ({ ip: ip(o) }));
    const plan = deployPlan(name, hosts(masters), hosts(workers), bundle.dir, {
      ssh: { user: 'root', password: ROOT_PASSWORD, port: 22 },
    });
    const uuid = String((await call('/deploy', plan)).uuid);
    await expect
      .poll(async () => (await call('/deploy/status/inspect', { uuid })).is_over, {
        timeout: 120_000,
        interval: 250,
      })
      .toBe(true);
    const status = await call('/deploy/status/inspect', { uuid });
    expect((status.DeployStage as { State: string }).State).toBe('success');
    uuids[name] = uuid;
  }

  /** The cluster as the service keeps it: its node count and nodes. */
  async function stored(name: string) {
    const got = await call('/get', { uuid: uuids[name] });
    const [cluster] = got.list as { node_count: number; nodes: { ip: string; state: string }[] }[];
    return cluster!;
  }

  beforeAll(async () => {
    requireBuilt();
    lab = createLab(SUBNET, [
      { octet: 11, rootPassword: ROOT_PASSWORD },
      { octet: 12, rootPassword: ROOT_PASSWORD },
      { octet: 13, rootPassword: WORKER_PASSWORD },
      { octet: 15, rootPassword: ROOT_PASSWORD },
    ]);
    bundle = await buildTestBundle();
    dataDir = mkdtempSync(join(tmpdir(), 'topke-e2e-data-'));
    server = await startServer(dataDir, token);
    browser = await launchBrowser();
    history = new HistoryPage(browser.page);
    dialog = new AddNodesDialog(browser.page);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    lab?.teardown();
    bundle?.remove();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('has two clusters deployed and one imported, over the API', async () => {
    await deploy('e2e63', [11], [12]);
    await deploy('e2e63-other', [15], []);
    // Nothing answers on 127.0.0.1:1: the import keeps the cluster as unreachable.
    const kubeconfig = kubeconfigYaml({
      clusters: [{ name: 'k', cluster: { server: 'https://127.0.0.1:1' } }],
      users: [{ name: 'u', user: { token: 'imported-token' } }],
      contexts: [{ name: 'u@k', context: { cluster: 'k', user: 'u' } }],
      current: 'u@k',
    });
    const imported = await call('/add', {
      Name: 'e2e63-imported',
      kube_config_data: Buffer.from(kubeconfig).toString('base64'),
      save_unreachable: true,
    });
    uuids['e2e63-imported'] = String((imported.Infos as { UUID: string }[])[0]!.UUID);
    await history.openAt(server.url);
    await history.waitForNameSet(['e2e63', 'e2e63-other', 'e2e63-imported']);
  });

  it('offers no way to add nodes to an imported cluster, and says why', async () => {
    await history.open('e2e63-imported');
    const button = await dialog.button();
    expect(button).toEqual({
      disabled: true,
      reason:
        'This cluster was imported: workers can only be added to clusters TopKE deployed, with the settings and login it keeps.',
    });
    expect(await dialog.hoverReason()).toBe(button.reason);
    await browser.page.getByTestId('detail-back').click();
    await browser.page.getByTestId('history').waitFor();
  });

  it('refuses in the dialog a host of another cluster, naming the field and that cluster', async () => {
    await history.open('e2e63');
    expect(await dialog.button()).toEqual({ disabled: false, reason: '' });
    await dialog.open();
    await dialog.fillWorkers([{ ip: ip(15) }]);
    await dialog.start();
    const refusal = await dialog.refusal();
    expect(refusal.field).toBe('node_list[0].IP');
    expect(refusal.text).toContain(
      `${ip(15)} is already a node of another cluster, "e2e63-other" (${uuids['e2e63-other']})`,
    );
    expect((await stored('e2e63')).node_count).toBe(2);
    expect((await stored('e2e63-other')).nodes).toEqual([
      { ip: ip(15), name: 'm-15', role: 'master', state: 'running' },
    ]);
    await dialog.close();
  });

  it('adds a worker with a typed login, shows its progress to the end, and forgets the password', async () => {
    await dialog.open();
    await dialog.fillWorkers([{ ip: ip(13), name: 'w-13' }]);
    await dialog.usePassword('root', WORKER_PASSWORD);
    await dialog.start();
    expect(await dialog.waitForEnd()).toBe('success');
    const progress = dialog.dialog().getByTestId('deploy-progress');
    expect(await progress.getAttribute('data-uuid')).toBe(uuids['e2e63']);
    expect(await progress.innerText()).toContain(ip(13));
    // The nodes list behind the dialog is read again once the node create is over.
    await browser.page
      .locator(`[data-testid="node-row-${ip(13)}"][data-state="running"]`)
      .waitFor();
    await dialog.close();
    // Opened again, the login form is empty: the password went with the request.
    await dialog.open();
    await dialog.dialog().getByTestId('add-nodes-cluster-login').click();
    expect(await dialog.passwordValues()).toEqual(['', '']);
    await dialog.close();
    const kept = await browser.page.evaluate(() =>
      JSON.stringify([{ ...sessionStorage }, { ...localStorage }, document.body.innerHTML]),
    );
    expect(kept).not.toContain(WORKER_PASSWORD);
  });

  it('lists the new worker after a reload, as the service keeps it', async () => {
    await browser.page.reload();
    await browser.page.getByTestId('detail-card').waitFor();
    expect(await history.detailNodeStates()).toEqual([
      { ip: ip(11), state: 'running', shown: 'running' },
      { ip: ip(12), state: 'running', shown: 'running' },
      { ip: ip(13), state: 'running', shown: 'running' },
    ]);
    const cluster = await stored('e2e63');
    expect(cluster.node_count).toBe(3);
    expect(cluster.nodes).toContainEqual({
      ip: ip(13),
      name: 'w-13',
      role: 'worker',
      state: 'running',
    });
    const deploys = await history.deploys();
    expect(deploys.map((d) => [d.kind, d.state])).toEqual([
      ['node_create', 'success'],
      ['deploy', 'success'],
    ]);
  });

  it('logged no errors in the page', () => {
    expect(browser.errors).toEqual([]);
  });
});
