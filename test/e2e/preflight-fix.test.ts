/**
 * The review's preflight table in headless Chromium against `topke serve`: a lab host with IP
 * forwarding off fails a fixable check; its rows show what was found and how to fix it in the
 * engineer's language; nothing on the host changes until Fix is pressed, and then the row passes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestBundle } from '../lab/bundle.js';
import type { Lab, LabHost } from '../lab/lab.js';
import type { Browser } from './browser.js';
import type { Server } from './server.js';
import { startBrowserSession, type BrowserSession } from './session.js';
import { PreflightPanel } from './pages/preflight-panel.js';
import { WizardPage } from './pages/wizard-page.js';

const SUBNET = 62;
const ROOT_PASSWORD = 'e2e-Preflight-62';
const STANDIN = '/var/lib/topke-standin';
const FORWARD = `${STANDIN}/sysctl/net.ipv4.ip_forward`;
const CHECK = 'sysctl.net.ipv4.ip_forward';

/** What the fix would change on the host: the live value, the boot file, the commands run. */
function forwarding(host: LabHost): { now: string; bootFile: boolean; changes: string[] } {
  const calls = host.exec(`cat ${STANDIN}/calls.log 2>/dev/null || true`);
  return {
    now: host.readFile(FORWARD).trim(),
    bootFile: host.exec('ls /etc/sysctl.d').includes('99-topke-kubernetes.conf'),
    changes: calls.split('\n').filter((l) => /^sysctl (-w|-p|--system|\S+=)/.test(l)),
  };
}

describe('preflight in the review, and its Fix action, in a browser', () => {
  let session: BrowserSession;
  let lab: Lab;
  let bundle: TestBundle;
  let server: Server;
  let browser: Browser;
  let wizard: WizardPage;
  let preflight: PreflightPanel;
  const master = `198.18.${SUBNET}.11`;

  beforeAll(async () => {
    session = await startBrowserSession(SUBNET, [
      {
        octet: 11,
        hostname: 'e2e-no-forward',
        rootPassword: ROOT_PASSWORD,
        files: { [FORWARD]: '0\n' },
      },
    ]);
    ({ lab, bundle, server, browser } = session);
    wizard = new WizardPage(browser.page);
    preflight = new PreflightPanel(browser.page);
  });

  afterAll(() => session?.teardown());

  it('reaches the review with the host as the master', async () => {
    await wizard.open(server.url);
    await wizard.addHostByHand(master);
    await wizard.pickRole(master, 'master');
    await wizard.throughToReview('root', ROOT_PASSWORD, {
      name: 'e2e-preflight',
      bundlePath: bundle.dir,
      version: bundle.version,
    });
  });

  it('shows the failing check with what was found and how to fix it, in English', async () => {
    await preflight.run();
    expect(await preflight.row(master, CHECK)).toEqual({
      verdict: 'fail',
      label: 'sysctl net.ipv4.ip_forward',
      id: CHECK,
      value: '= 0',
      fix: 'set net.ipv4.ip_forward = 1 in /etc/sysctl.d and apply it (sysctl -p FILE); the fix action does both',
    });
    expect(await preflight.row(master, 'kernel')).toMatchObject({
      verdict: 'pass',
      label: 'Kernel version',
      fix: '',
    });
    expect(await preflight.row(master, 'swap')).toMatchObject({ label: 'Swap', value: 'off' });
    expect((await preflight.row(master, 'address.unique')).value).toBe('listed once');
    expect(await preflight.canFix()).toBe(true);
  });

  it('shows the same check in Chinese after the language is switched', async () => {
    await wizard.setLanguage('zh');
    expect(await preflight.row(master, CHECK)).toEqual({
      verdict: 'fail',
      label: '内核参数 net.ipv4.ip_forward',
      id: CHECK,
      value: '= 0',
      fix: '请在 /etc/sysctl.d 中设置 net.ipv4.ip_forward = 1 并使其生效（sysctl -p 文件）；“修复”操作会完成这两步',
    });
    expect((await preflight.row(master, 'kernel')).label).toBe('内核版本');
    expect(await preflight.row(master, 'swap')).toMatchObject({
      label: '交换分区',
      value: '已关闭',
    });
    expect((await preflight.row(master, 'address.unique')).value).toBe('只列出一次');
    await wizard.setLanguage('en');
  });

  it('has changed nothing on the host before Fix is pressed', () => {
    expect(forwarding(lab.host(11))).toEqual({ now: '0', bootFile: false, changes: [] });
  });

  it('fixes the check when Fix is pressed, and the row then passes', async () => {
    const applied = await preflight.fix();
    expect(
      applied.some((line) => line.startsWith(master) && line.includes('net.ipv4.ip_forward')),
    ).toBe(true);
    await preflight.waitForVerdict(master, CHECK, 'pass');
    expect(await preflight.row(master, CHECK)).toMatchObject({
      verdict: 'pass',
      value: '= 1',
      fix: '',
    });
    const after = forwarding(lab.host(11));
    expect(after).toMatchObject({ now: '1', bootFile: true });
    expect(after.changes.length).toBeGreaterThan(0);
    expect(await preflight.canFix()).toBe(false);
  });

  it('logged no errors in the page', () => {
    expect(browser.errors).toEqual([]);
  });
});
