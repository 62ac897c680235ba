/**
 * The wizard end to end in headless Chromium: `topke serve` on a fresh data folder, lab hosts
 * with real sshd, a test bundle; scan, roles, login, settings, VIP test, deploy, history; then
 * the server restarts on the same data folder and the cluster is still listed.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestBundle } from '../lab/bundle.js';
import type { Lab } from '../lab/lab.js';
import type { Browser } from './browser.js';
import type { Server } from './server.js';
import { startBrowserSession, type BrowserSession } from './session.js';
import { HistoryPage } from './pages/history-page.js';
import { WizardPage } from './pages/wizard-page.js';

const SUBNET = 60;
const ROOT_PASSWORD = 'e2e-Root-Secret-60';
const CLUSTER = 'e2e-lab60';
const DEPLOY_TIMEOUT = 240_000;
const FAILURE = 'error execution phase kubelet-start: injected failure for the e2e test\n';
const FAIL_FILE = '/etc/topke-standin/fail-kubeadm-join';
const HOLD_FILE = '/etc/topke-standin/hold-kubeadm-init';
const RELEASE_FILE = '/etc/topke-standin/release-kubeadm-init';
const HELD_LINE = '[bootstrap-token] Using token:';

describe('wizard in a browser against topke serve', () => {
  let session: BrowserSession;
  let lab: Lab;
  let bundle: TestBundle;
  let server: Server;
  let browser: Browser;
  let wizard: WizardPage;
  let history: HistoryPage;
  const token = randomBytes(18).toString('base64url');
  const ip = (octet: number) => `198.18.${SUBNET}.${octet}`;
  const master = ip(11);
  const workers = [ip(12), ip(13)];

  beforeAll(async () => {
    session = await startBrowserSession(
      SUBNET,
      [
        { octet: 11, hostname: 'e2e-master', rootPassword: ROOT_PASSWORD },
        { octet: 12, hostname: 'e2e-worker-a', rootPassword: ROOT_PASSWORD },
        { octet: 13, hostname: 'e2e-worker-b', rootPassword: ROOT_PASSWORD },
        { octet: 14, hostname: 'e2e-master-2', rootPassword: ROOT_PASSWORD },
        {
          octet: 15,
          hostname: 'e2e-failing',
          rootPassword: ROOT_PASSWORD,
          files: { [FAIL_FILE]: FAILURE },
        },
        // Outside the scanned range; speaks only what legacy_algorithms adds.
        {
          octet: 30,
          hostname: 'e2e-old-sshd',
          rootPassword: ROOT_PASSWORD,
          sshdExtra: ['KexAlgorithms diffie-hellman-group14-sha1', 'Ciphers aes128-cbc'],
        },
      ],
      token,
    );
    ({ lab, bundle, server, browser } = session);
    wizard = new WizardPage(browser.page);
    history = new HistoryPage(browser.page);
  });

  afterAll(() => session?.teardown());

  it('takes the token from the address and removes it from the address bar', async () => {
    await wizard.open(server.url);
    expect(browser.page.url()).toBe(`${server.origin}#/wizard`);
    const stored = await browser.page.evaluate(() => sessionStorage.getItem('topke.apiToken'));
    expect(stored).toBe(token);
  });

  it('scans the lab range and lists exactly the live hosts', async () => {
    const found = await wizard.scan(ip(10), ip(20));
    expect(found).toBe(5);
    expect(await wizard.hostAddresses()).toEqual([master, ...workers, ip(14), ip(15)]);
  });

  it('comes back to the saved scan results after a reload', async () => {
    await browser.page.reload();
    await wizard.waitForStep('hosts');
    await expect
      .poll(() => wizard.hostAddresses(), { timeout: 10_000 })
      .toEqual([master, ...workers, ip(14), ip(15)]);
  });

  it('picks a master and two workers, then logs in to all three', async () => {
    await wizard.pickRole(master, 'master');
    for (const w of workers) await wizard.pickRole(w, 'worker');
    await wizard.next('credentials');
    await wizard.enterPassword('root', ROOT_PASSWORD);
    const logins = await wizard.testLogin([master, ...workers]);
    expect(logins).toEqual({ [master]: 'true', [workers[0]!]: 'true', [workers[1]!]: 'true' });
  });

  it('shows the spec defaults as placeholders and takes the settings', async () => {
    await wizard.next('settings');
    expect(await wizard.placeholderOf('settings-pod-cidr')).toBe('192.168.0.0/16');
    expect(await wizard.placeholderOf('settings-service-cidr')).toBe('10.96.0.0/12');
    await wizard.fillSettings({
      name: CLUSTER,
      bundlePath: bundle.archive,
      version: bundle.version,
    });
    await wizard.next('ha');
  });

  it('tests a VIP: a lab host answers (in use), an empty address is free, 6443 is refused', async () => {
    expect(await wizard.testVip(ip(12), 8443)).toBe('in-use');
    expect(await wizard.testVip(ip(99), 8443)).toBe('free');
    // A refused request names the field, in the engineer's language.
    expect(await wizard.testVip(ip(99), 6443)).toBe('error');
    const english = await wizard.vipError();
    expect(english.field).toBe('port');
    expect(english.text).toContain('must not be 6443');
    await wizard.setLanguage('zh');
    expect((await wizard.vipError()).text).toContain('不能使用 6443');
    await wizard.setLanguage('en');
    await wizard.disableHa();
    await wizard.next('review');
    expect(await wizard.reviewText('review-masters')).toBe(master);
    expect(await wizard.reviewText('review-workers')).toBe(workers.join(', '));
    expect(await wizard.reviewText('review-name')).toBe(CLUSTER);
    await expect.poll(() => wizard.reviewText('review-tenant')).toBe('default');
  });

  it('checks the hosts before the deploy (preflight)', async () => {
    const preflight = await wizard.runPreflight();
    expect(preflight.hosts).toEqual([master, ...workers].sort());
    expect(preflight.ok).toBe('true');
  });

  it(
    'deploys and shows every stage and every host finish',
    async () => {
      // kubeadm init on the master stops after its token line until the test lets it go on.
      lab
        .host(11)
        .exec(`mkdir -p /etc/topke-standin && printf '%s\\n' '${HELD_LINE}' > ${HOLD_FILE}`);
      await wizard.deploy();
      await wizard.watchStages();

      const held = await wizard.runningOutput(master, 'kubeadm init', `${HELD_LINE} [token]`);
      expect(held.lines.split('\n')[0]).toBe(
        '$ /usr/local/bin/kubeadm init --config /etc/topke/kubeadm-init.yaml --upload-certs',
      );
      expect(held.lines).toContain('[upload-certs] Using certificate key:\n[secret]\n');
      expect(held.lines.trimEnd().endsWith(`${HELD_LINE} [token]`)).toBe(true);
      expect(held.atEnd).toBe(true);
      // From the step's events: the page followed the deploy from its start.
      expect(held.source).toBe('events');
      expect(held.head).toContain(master);
      expect(held.head).toContain('kubeadm init');
      expect(held.head).toContain('output as it comes, the last 200 lines');
      // The step still runs: the stand-in waits for the test.
      expect(lab.host(11).readFile('/var/lib/topke-standin/hold-kubeadm-init.waiting')).toMatch(
        /^\d+\n$/,
      );
      const printed = lab.host(11).readFile('/var/lib/topke-standin/printed-kubeadm-init');
      const [initToken] = lab.host(11).readFile('/var/lib/topke-standin/tokens').split('\n');
      expect(printed).toContain(initToken);
      expect(await browser.page.content()).not.toContain(initToken);
      await wizard.setLanguage('zh');
      const zh = await wizard.runningOutput(master, 'kubeadm init', `${HELD_LINE} [token]`);
      expect(zh.head).toContain('初始化控制平面（kubeadm init）');
      expect(zh.head).toContain('实时输出，显示最后 200 行');
      await wizard.setLanguage('en');
      lab.host(11).exec(`touch ${RELEASE_FILE}`);

      expect(await wizard.waitForDeployEnd(DEPLOY_TIMEOUT)).toBe('success');
      expect(await browser.page.content()).not.toContain(initToken);
      expect(await wizard.stageStates()).toEqual(['done', 'done', 'done', 'done']);
      // Watched live: each stage moves forward only (waiting, running, done), and the page
      // showed stages while they ran, not only the end.
      const seen = await wizard.seenStages();
      expect(Object.keys(seen).sort()).toEqual(['stage-0', 'stage-1', 'stage-2', 'stage-3']);
      const order = ['pending', 'running', 'done'];
      for (const states of Object.values(seen)) {
        expect(states.at(-1)).toBe('done');
        const ranks = states.map((st) => order.indexOf(st));
        expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
        expect(ranks).not.toContain(-1);
      }
      expect(Object.values(seen).some((states) => states.includes('running'))).toBe(true);
      for (const host of [master, ...workers]) expect(await wizard.hostStatus(host)).not.toBe('');
    },
    DEPLOY_TIMEOUT + 30_000,
  );

  it('lists the cluster in the history, running, with its three nodes', async () => {
    await wizard.openDeployedCluster();
    expect(await history.detailNodes()).toEqual([master, ...workers].sort());
    for (const node of await history.detailNodeStates())
      expect(node, node.ip).toMatchObject({ state: 'running', shown: 'running' });
    await wizard.setLanguage('zh');
    for (const node of await history.detailNodeStates())
      expect(node, node.ip).toMatchObject({ state: 'running', shown: '运行中' });
    await wizard.setLanguage('en');
    await history.openFromNav();
    expect(await history.stateOf(CLUSTER)).toBe('running');
    const cells = await history.cells(CLUSTER);
    expect(cells).toMatchObject({ nodes: '3', source: 'deployed', sourceText: 'Deployed' });
    expect(Number(cells.certTime)).toBeGreaterThan(Date.now() / 1000);
    expect(cells.certText).not.toBe('—');
  });

  it('switches the language to Chinese and back', async () => {
    await browser.page.getByTestId('lang-zh').click();
    await browser.page.locator('[data-testid="nav-clusters"]', { hasText: '集群列表' }).waitFor();
    await browser.page.getByTestId('lang-en').click();
    await browser.page.locator('[data-testid="nav-clusters"]', { hasText: 'Clusters' }).waitFor();
  });

  it('still lists the cluster after the server restarts on the same data folder', async () => {
    server = await session.restartServer();
    await history.openAt(server.url);
    expect(await history.stateOf(CLUSTER)).toBe('running');
    await history.open(CLUSTER);
    expect(await history.detailNodes()).toEqual([master, ...workers].sort());
    expect(await history.deployRecord()).toEqual({
      state: 'success',
      stages: ['done', 'done', 'done', 'done'],
    });
  });

  describe('a deploy whose worker fails a step', () => {
    const failing = ip(15);

    it(
      'shows the failure with the host, the step and the output',
      async () => {
        await wizard.openFromNav();
        await wizard.addHostByHand(ip(14));
        await wizard.addHostByHand(failing);
        await wizard.pickRole(ip(14), 'master');
        await wizard.pickRole(failing, 'worker');
        await wizard.throughToReview('root', ROOT_PASSWORD, {
          name: 'e2e-fail',
          bundlePath: bundle.dir,
          version: bundle.version,
        });
        await wizard.deploy();
        expect(await wizard.waitForDeployEnd(DEPLOY_TIMEOUT)).toBe('failed');
        expect(await wizard.stageStates()).toEqual(['done', 'done', 'done', 'failed']);
        const shown = await wizard.failure();
        expect(shown.summary).toContain(failing);
        expect(shown.summary).toContain('join cluster');
        expect(Object.keys(shown.hosts)).toEqual([failing]);
        expect(shown.hosts[failing]).toContain('join cluster');
        expect(shown.hosts[failing]).toContain('injected failure for the e2e test');
        expect(shown.stageError).toBe(shown.summary);
        expect(await wizard.hostStatus(failing)).toBe('failed');
      },
      DEPLOY_TIMEOUT + 30_000,
    );

    it('shows the same failure in Chinese after the language is switched, the output as it is', async () => {
      await wizard.setLanguage('zh');
      const shown = await wizard.failure('zh');
      expect(shown.summary).toMatch(
        new RegExp(
          `^${failing.replaceAll('.', '\\.')}（[^）]+）的步骤“加入集群”（join cluster）失败，退出码 1：`,
        ),
      );
      expect(shown.summary).toContain('injected failure for the e2e test');
      expect(shown.summary).not.toContain('failed with exit code');
      expect(shown.stageError).toBe(shown.summary);
      expect(Object.keys(shown.hosts)).toEqual([failing]);
      expect(shown.hosts[failing]).toContain('步骤 加入集群');
      expect(shown.hosts[failing]).toContain('以退出码 1 结束');
      expect(shown.hosts[failing]).toContain('injected failure for the e2e test');
      await wizard.setLanguage('en');
      expect((await wizard.failure('en')).summary).toContain('step "join cluster" failed');
    });

    it(
      'deploys again from the review once the cause is gone',
      async () => {
        lab.host(15).exec(`rm ${FAIL_FILE}`);
        await wizard.backToReview();
        await wizard.deploy();
        expect(await wizard.waitForDeployEnd(DEPLOY_TIMEOUT)).toBe('success');
        expect(await wizard.stageStates()).toEqual(['done', 'done', 'done', 'done']);
        await history.openFromNav();
        expect(await history.stateOf('e2e-fail')).toBe('running');
        expect(await history.stateOf(CLUSTER)).toBe('running');
      },
      DEPLOY_TIMEOUT + 30_000,
    );

    it('lists both deploys in the cluster view, and shows the failed one with its steps and output', async () => {
      await history.open('e2e-fail');
      await history.waitForDeployCount(2);
      const [latest, first] = await history.deploys();
      expect([latest, first].map((d) => [d!.kind, d!.state, d!.picked, d!.stages])).toEqual([
        ['deploy', 'success', 'true', 'done,done,done,done'],
        ['deploy', 'failed', 'false', 'done,done,done,failed'],
      ]);
      expect(await history.shownDeploy()).toEqual({
        id: latest!.id,
        state: 'success',
        stages: ['done', 'done', 'done', 'done'],
      });

      await history.pickDeploy(first!.id);
      expect(await history.shownDeploy()).toEqual({
        id: first!.id,
        state: 'failed',
        stages: ['done', 'done', 'done', 'failed'],
      });
      expect((await history.deploys()).map((d) => d.picked)).toEqual(['false', 'true']);
      const failures = await history.shownFailures();
      expect(Object.keys(failures)).toEqual([failing]);
      expect(failures[failing]).toContain('injected failure for the e2e test');
      expect(await history.hostSteps(failing)).toContain('join cluster: failed');
      expect(await history.stepOutput(failing, 'join cluster')).toContain(
        'injected failure for the e2e test',
      );

      // The run that fixed it resumed: what the first one had done was skipped.
      await history.pickDeploy(latest!.id);
      expect(await history.hostSteps(ip(14))).toContain('kubeadm init: skipped');
      expect(await history.hostSteps(failing)).toContain('join cluster: ok');
    });
  });

  it('logs in to an old sshd once its legacy algorithms box is ticked', async () => {
    const old = ip(30);
    await browser.page.reload();
    await wizard.openFromNav();
    await wizard.waitForStep('hosts');
    await wizard.addHostByHand(old);
    await wizard.pickRole(old, 'master');
    await wizard.next('credentials');
    await wizard.enterPassword('root', ROOT_PASSWORD);
    expect(await wizard.testLogin([old])).toEqual({ [old]: 'false' });
    expect(await wizard.loginText(old)).toContain("the server's: diffie-hellman-group14-sha1");
    await wizard.allowLegacy(old);
    await wizard.testLoginUntil(old, 'true');
    expect(await wizard.loginText(old)).toContain('login ok');
  });

  it('logged no errors in the page', () => {
    expect(browser.errors).toEqual([]);
  });
});
