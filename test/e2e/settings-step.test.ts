/**
 * The wizard in headless Chromium against `topke serve`: the scan form's SSH ports field finds a
 * lab host whose sshd listens on 2222, and the settings step names a bad cluster name and
 * overlapping networks as they are typed, with the API's own messages, keeping Next disabled.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from './browser.js';
import { ScanFormPage } from './pages/scan-form.js';
import { SettingsStepPage } from './pages/settings-step.js';
import { WizardPage } from './pages/wizard-page.js';
import { startLabSession, type LabSession } from './session.js';

const SUBNET = 143;
const NAME_ITEM = 'settings-name-item';
const POD_ITEM = 'settings-pod-cidr-item';
const SERVICE_ITEM = 'settings-service-cidr-item';

describe('the scan form SSH ports and the settings step checks, in a browser', () => {
  let session: LabSession | undefined;
  let browser: Browser;
  let wizard: WizardPage;
  let form: ScanFormPage;
  let settings: SettingsStepPage;
  const ip = (octet: number) => `198.18.${SUBNET}.${octet}`;

  beforeAll(async () => {
    session = await startLabSession(SUBNET, [
      { octet: 11, rootPassword: 'settings-pw' },
      { octet: 12, rootPassword: 'settings-pw', sshPort: 2222 },
    ]);
    ({ browser } = session);
    wizard = new WizardPage(browser.page);
    form = new ScanFormPage(browser.page);
    settings = new SettingsStepPage(browser.page);
    await wizard.open(session.server.url);
  });

  afterAll(() => session?.teardown());

  it('finds the sshd on port 2222 only when the SSH ports field names it', async () => {
    const first = await form.scan('list', `${ip(11)}, ${ip(12)}`);
    expect(first).toMatchObject({ state: 'done', found: 2 });
    expect(await settings.hostRowText(ip(11))).toContain('SSH open');
    expect(await settings.hostRowText(ip(12))).toContain('no SSH');

    await form.fill('list', `${ip(11)}, ${ip(12)}`);
    await settings.fillSshPorts('22, 2222');
    await form.start();
    expect(await form.summary()).toMatchObject({ state: 'done', found: 2 });
    expect(await settings.hostRowText(ip(11))).toContain('SSH open');
    expect(await settings.hostRowText(ip(12))).toContain('SSH open');
  });

  it('names a refused port by its field', async () => {
    await settings.fillSshPorts('22, 70000');
    await form.start();
    expect(await form.error()).toEqual({
      field: 'ssh_ports[1]',
      text: 'ssh_ports[1]: must be a port number between 1 and 65535 (got 70000)',
    });
    expect(await form.faultyInputs()).toContain('scan-ssh-ports');
    await settings.fillSshPorts('');
  });

  it('names each bad setting as it is typed and keeps Next disabled until all are right', async () => {
    await wizard.pickRole(ip(11), 'master');
    await wizard.next('credentials');
    await wizard.enterPassword('root', 'settings-pw');
    await wizard.next('settings');
    await wizard.fillSettings({ name: 'ui', bundlePath: '/opt/b.tar.gz', version: 'v1.30.2' });
    expect(await settings.nextDisabled()).toBe(false);

    await settings.type('settings-name', 'UI Cluster <b>x</b>');
    await settings.waitForProblem(
      NAME_ITEM,
      'may contain only lowercase ASCII letters (a-z), digits (0-9), "-", "_" and ".", and must start and end with a letter or digit (got UI Cluster <b>x</b>)',
    );
    await settings.type('settings-pod-cidr', '10.96.0.0/16');
    // The service network is left to its default, so the pod network the engineer set is blamed.
    // Each message shows under its field, without the field's name in front.
    await settings.waitForProblem(
      POD_ITEM,
      'PodCidr 10.96.0.0/16 overlaps ServicePodCidr 10.96.0.0/12: pods and services need networks of their own',
    );
    expect(await settings.problem(NAME_ITEM)).toMatch(/^may contain only/);
    expect(await settings.nextDisabled()).toBe(true);

    await settings.type('settings-service-cidr', '10.96.0.0/33');
    await settings.waitForProblem(
      SERVICE_ITEM,
      'is not an IPv4 CIDR such as 10.96.0.0/12 (got 10.96.0.0/33)',
    );
    await wizard.setLanguage('zh');
    await settings.waitForProblem(
      SERVICE_ITEM,
      '不是有效的 IPv4 网段（例如 10.96.0.0/12）（实际为 10.96.0.0/33）',
    );
    await wizard.setLanguage('en');

    await settings.type('settings-service-cidr', '10.112.0.0/12');
    await settings.waitForProblem(POD_ITEM, '');
    await settings.type('settings-name', 'ui-cluster');
    await settings.waitForProblem(NAME_ITEM, '');
    expect(await settings.problem(SERVICE_ITEM)).toBe('');
    expect(await settings.nextDisabled()).toBe(false);
    expect(browser.errors).toEqual([]);
  });
});
