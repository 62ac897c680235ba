/**
 * The wizard's scan form in headless Chromium against `topke serve`: a lab scanned by CIDR and
 * by a list, with exclusions; refused input named by its field in both languages; the progress
 * of a long scan, and Stop.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from './browser.js';
import { ScanFormPage } from './pages/scan-form.js';
import { WizardPage } from './pages/wizard-page.js';
import { startLabSession, type LabSession } from './session.js';

const SUBNET = 61;
/** An empty /20 of the lab's network: long enough a scan to watch and stop. */
const EMPTY_RANGE = '198.19.48.0/20';

describe('the scan form in a browser', () => {
  let session: LabSession | undefined;
  let browser: Browser;
  let wizard: WizardPage;
  let form: ScanFormPage;
  const ip = (octet: number) => `198.18.${SUBNET}.${octet}`;

  beforeAll(async () => {
    session = await startLabSession(
      SUBNET,
      [11, 12, 13, 14].map((octet) => ({ octet, rootPassword: 'scan-form-pw' })),
    );
    ({ browser } = session);
    wizard = new WizardPage(browser.page);
    form = new ScanFormPage(browser.page);
    await wizard.open(session.server.url);
  });

  afterAll(() => session?.teardown());

  it('scans the lab by CIDR with one exclusion and lists exactly the other live hosts', async () => {
    const summary = await form.scan('cidr', `${ip(0)}/28`, ip(12));
    expect(summary).toMatchObject({ state: 'done', found: 3, scanned: 13, total: 13 });
    expect(await wizard.hostAddresses()).toEqual([ip(11), ip(13), ip(14)]);
  });

  it('scans a list of an address and a range, without the excluded address', async () => {
    const summary = await form.scan('list', `${ip(11)}, ${ip(12)} - ${ip(14)}`, `${ip(13)}`);
    expect(summary).toMatchObject({ state: 'done', found: 3, scanned: 3, total: 3 });
    expect(await wizard.hostAddresses()).toEqual([ip(11), ip(12), ip(14)]);
  });

  it('names the field at fault and marks its input, in English and in Chinese', async () => {
    await form.fill('cidr', `${ip(0)}/33`);
    await form.start();
    const cidr = await form.error();
    expect(cidr.field).toBe('cidr');
    expect(cidr.text).toBe(
      `cidr: "${ip(0)}/33" is not an IPv4 CIDR: the prefix length must be 0 to 32`,
    );
    expect(await form.faultyInputs()).toEqual(['scan-cidr']);
    await wizard.setLanguage('zh');
    expect((await form.error()).text).toBe(
      `cidr：“${ip(0)}/33” 不是有效的 IPv4 网段：前缀长度应为 0 到 32`,
    );
    await wizard.setLanguage('en');

    await form.fill('list', `${ip(11)} 198.18.${SUBNET}.300`);
    await form.start();
    await browser.page.locator('[data-testid="error-alert"][data-field="targets[1]"]').waitFor();
    expect((await form.error()).text).toBe(
      `targets[1]: "198.18.${SUBNET}.300" is not an IPv4 address: 300 is larger than 255`,
    );
    expect(await form.faultyInputs()).toEqual(['scan-list']);

    await form.fill('list', ip(11), `${ip(1)}, ${ip(20)}-${ip(10)}`);
    await form.start();
    await browser.page.locator('[data-testid="error-alert"][data-field="exclude[1]"]').waitFor();
    expect(await form.faultyInputs()).toEqual(['scan-exclude']);
    await wizard.setLanguage('zh');
    expect((await form.error()).text).toBe(
      `exclude[1]：“${ip(20)}-${ip(10)}”：结束地址 ${ip(10)} 在起始地址 ${ip(20)} 之前`,
    );
    await wizard.setLanguage('en');
  });

  it('shows the progress of a running scan moving, and Stop ends it', async () => {
    await form.fill('list', EMPTY_RANGE);
    await form.watchProgress();
    await form.start();
    await form.waitForProgressSteps(2);
    expect(await form.running()).toBe(true);
    await form.stop();
    const summary = await form.summary();
    expect(summary.state).toBe('cancelled');
    expect(summary.total).toBe(4094);
    expect(summary.scanned).toBeLessThan(4094);
    expect(summary.text).toBe(`Stopped: 0 hosts found in ${summary.scanned} of 4094 addresses`);
    const seen = await form.seenProgress();
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(new Set(seen.filter((d) => d > 0)).size).toBeGreaterThanOrEqual(2);
    expect(await form.running()).toBe(false);
  });

  it('logged no errors in the page', () => {
    expect(browser.errors).toEqual([]);
  });
});
