import type { Locator } from 'playwright-core';
import { AppPage } from './app-page.js';

export type Role = 'master' | 'worker' | 'none';

/** The lang attribute of the page, and of text shown in a language, per language switch. */
const LANGS = { en: 'en', zh: 'zh-CN' } as const;

export interface ClusterSettings {
  name: string;
  bundlePath: string;
  version: string;
  podCidr?: string;
}

/** The guided wizard, step by step, as an engineer drives it. Every wait is on a condition. */
export class WizardPage extends AppPage {
  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.waitForStep('hosts');
  }

  async waitForStep(step: string): Promise<void> {
    await this.page
      .locator(`[data-testid="wizard"][data-step="${step}"]`)
      .waitFor({ timeout: this.timeout });
  }

  async next(expected: string): Promise<void> {
    await this.byId('wizard-next').click();
    await this.waitForStep(expected);
  }

  /** Scans begin..end and waits for the scan's summary; answers how many hosts it found. */
  async scan(begin: string, end: string, timeout = 60_000): Promise<number> {
    await this.input('scan-begin').fill(begin);
    await this.input('scan-end').fill(end);
    await this.byId('scan-start').click();
    const summary = this.byId('scan-summary');
    await summary.waitFor({ timeout });
    return Number(await summary.getAttribute('data-found'));
  }

  hostRow(ip: string): Locator {
    return this.byId(`host-row-${ip}`);
  }

  /** The addresses in the host table, in order. */
  async hostAddresses(): Promise<string[]> {
    const rows = this.page.locator('[data-testid^="host-row-"]');
    const ids = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    return ids.map((id) => String(id).replace('host-row-', ''));
  }

  /** Picks the host's role, and clicks again when the role does not show it: a click can land
   * beside the button when the table moves under it (a probe's facts filling in a row). */
  async pickRole(ip: string, role: Role): Promise<void> {
    const picked = this.page.locator(`[data-testid="role-${ip}"][data-role="${role}"]`);
    const deadline = Date.now() + this.timeout;
    for (;;) {
      await this.byId(`role-${ip}-${role}`).click({ timeout: Math.max(1, deadline - Date.now()) });
      const left = deadline - Date.now();
      const shown = await picked
        .waitFor({ timeout: Math.max(1, Math.min(2_000, left)) })
        .then(() => true)
        .catch((err: unknown) => {
          if (left <= 2_000) throw err;
          return false;
        });
      if (shown) return;
    }
  }

  async enterPassword(user: string, password: string): Promise<void> {
    await this.input('ssh-user').fill(user);
    await this.input('ssh-password').fill(password);
  }

  /** Tests the login on the chosen hosts; answers each host's result ("true"/"false"). */
  async testLogin(ips: string[], timeout = 60_000): Promise<Record<string, string>> {
    await this.byId('login-test-button').click();
    const out: Record<string, string> = {};
    for (const ip of ips) {
      const tag = this.page.locator(`[data-testid="login-result-${ip}"]:not([data-ok=""])`);
      await tag.waitFor({ timeout });
      out[ip] = String(await tag.getAttribute('data-ok'));
    }
    return out;
  }

  /** Tests the login again and waits until the host's result is `ok` ("true"/"false"). */
  async testLoginUntil(ip: string, ok: string, timeout = 60_000): Promise<void> {
    await this.byId('login-test-button').click();
    await this.page
      .locator(`[data-testid="login-result-${ip}"][data-ok="${ok}"]`)
      .waitFor({ timeout });
  }

  /** What the login test shows for the host. */
  async loginText(ip: string): Promise<string> {
    return (await this.byId(`login-result-${ip}`).innerText()).trim();
  }

  /** Ticks the host's legacy algorithms box in the credentials step. */
  async allowLegacy(ip: string): Promise<void> {
    const box = this.byId(`ssh-legacy-${ip}`);
    await box.click();
    await this.page
      .locator(`[data-testid="ssh-legacy-${ip}"][aria-checked="true"]`)
      .waitFor({ timeout: this.timeout });
  }

  async fillSettings(s: ClusterSettings): Promise<void> {
    await this.input('settings-name').fill(s.name);
    await this.input('settings-bundle').fill(s.bundlePath);
    await this.input('settings-version').fill(s.version);
    if (s.podCidr) await this.input('settings-pod-cidr').fill(s.podCidr);
  }

  /** From the hosts step, roles picked: gives the login, fills the settings, leaves HA off and
   * reaches the review. */
  async throughToReview(user: string, password: string, settings: ClusterSettings): Promise<void> {
    await this.next('credentials');
    await this.enterPassword(user, password);
    await this.next('settings');
    await this.fillSettings(settings);
    await this.next('ha');
    await this.next('review');
  }

  async placeholderOf(id: string): Promise<string | null> {
    return this.input(id).getAttribute('placeholder');
  }

  /** Turns HA on, tests a VIP and port, and answers the verdict (free, in-use, error). */
  async testVip(vip: string, port: number, timeout = 30_000): Promise<string> {
    const toggle = this.byId('ha-enabled');
    if ((await toggle.getAttribute('aria-checked')) !== 'true') await toggle.click();
    await this.input('ha-vip').fill(vip);
    await this.input('ha-port').fill(String(port));
    await this.byId('ha-test').click();
    const verdict = this.byId('ha-verdict');
    await verdict.waitFor({ timeout });
    return String(await verdict.getAttribute('data-state'));
  }

  /** The error shown under the VIP verdict: its text and the field it names. */
  vipError(): Promise<{ text: string; field: string }> {
    return this.alertIn(this.byId('step-ha'));
  }

  async setLanguage(lang: 'en' | 'zh'): Promise<void> {
    await this.byId(`lang-${lang}`).click();
    await this.page.locator(`html[lang="${LANGS[lang]}"]`).waitFor({ timeout: this.timeout });
  }

  async disableHa(): Promise<void> {
    const toggle = this.byId('ha-enabled');
    if ((await toggle.getAttribute('aria-checked')) === 'true') await toggle.click();
  }

  async reviewText(id: string): Promise<string> {
    return (await this.byId(id).innerText()).trim();
  }

  /** Runs the preflight checks from the review; answers whether they passed and the hosts of
   * the checks shown. */
  async runPreflight(timeout = 60_000): Promise<{ ok: string; hosts: string[] }> {
    await this.byId('preflight-run').click();
    const summary = this.byId('preflight-summary');
    await summary.waitFor({ timeout });
    const ids = await this.page
      .locator('[data-testid^="preflight-host-"]')
      .evaluateAll((els) => els.map((e) => String(e.getAttribute('data-testid'))));
    const hosts = ids.map((id) => id.replace('preflight-host-', ''));
    return { ok: String(await summary.getAttribute('data-ok')), hosts: hosts.sort() };
  }

  async deploy(): Promise<void> {
    await this.byId('deploy-start').click();
    await this.waitForStep('deploy');
    await this.byId('deploy-progress').waitFor({ timeout: this.timeout });
  }

  /** Waits until the deploy is over; answers its state (success or failed). */
  async waitForDeployEnd(timeout: number): Promise<string> {
    const over = this.page.locator('[data-testid="deploy-state"][data-over="true"]');
    await over.waitFor({ timeout });
    return String(await over.getAttribute('data-state'));
  }

  /** Every stage's state as the page shows it, in order. */
  async stageStates(): Promise<string[]> {
    return this.page
      .locator('[data-testid^="stage-"][data-state]')
      .evaluateAll((els) => els.map((e) => String(e.getAttribute('data-state'))));
  }

  /** The states a stage went through while the test watched (recorded in the page). */
  async watchStages(): Promise<void> {
    await this.page.evaluate(() => {
      const seen: Record<string, string[]> = {};
      (window as unknown as { __stages: typeof seen }).__stages = seen;
      const record = () => {
        document.querySelectorAll('[data-testid^="stage-"][data-state]').forEach((el) => {
          const id = String(el.getAttribute('data-testid'));
          const state = String(el.getAttribute('data-state'));
          const list = (seen[id] ??= []);
          if (list[list.length - 1] !== state) list.push(state);
        });
      };
      new MutationObserver(record).observe(document.body, {
        subtree: true,
        childList: true,
        attributes: true,
        attributeFilter: ['data-state'],
      });
      record();
    });
  }

  async seenStages(): Promise<Record<string, string[]>> {
    return this.page.evaluate(
      () => (window as unknown as { __stages: Record<string, string[]> }).__stages,
    );
  }

  /** What the page shows of the step running on a host, once its output holds `text`: the
   * heading, the lines, where they came from (`events` or the stored `record`), and whether the
   * lines are scrolled to their end. */
  async runningOutput(
    ip: string,
    step: string,
    text: string,
    timeout = 60_000,
  ): Promise<{ head: string; lines: string; source: string; atEnd: boolean }> {
    const box = this.page.locator(`[data-testid="running-output-${ip}"][data-step="${step}"]`);
    const lines = box.getByTestId('running-lines');
    await box.getByTestId('running-lines').filter({ hasText: text }).waitFor({ timeout });
    const atEnd = await lines.evaluate(
      (el) => el.scrollTop + el.clientHeight >= el.scrollHeight - 2,
    );
    return {
      head: (await box.getByTestId('running-head').innerText()).trim(),
      lines: await lines.innerText(),
      source: String(await box.getAttribute('data-source')),
      atEnd,
    };
  }

  async hostStatus(ip: string): Promise<string> {
    return String(await this.byId(`host-status-${ip}`).getAttribute('data-message'));
  }

  /** Adds a host by its address; waits for its row. */
  async addHostByHand(ip: string): Promise<void> {
    await this.input('add-host-ip').fill(ip);
    await this.byId('add-host-button').click();
    await this.hostRow(ip).waitFor({ timeout: this.timeout });
  }

  /** Opens the wizard from the navigation. */
  async openFromNav(): Promise<void> {
    await this.byId('nav-wizard').click();
    await this.byId('wizard').waitFor({ timeout: this.timeout });
  }

  /** The deploy's failure as shown in a language: the summary, the failed stage's error and, per
   * failed host, its step, its error and its output. */
  async failure(lang: 'en' | 'zh' = 'en'): Promise<{
    summary: string;
    stageError: string;
    hosts: Record<string, string>;
  }> {
    const box = this.byId('deploy-failure');
    const summary = box.locator(`[data-testid="deploy-err-info"][lang="${LANGS[lang]}"]`);
    await summary.waitFor({ timeout: this.timeout });
    const hosts: Record<string, string> = {};
    for (const el of await box.locator('[data-testid^="failed-step-"]').all()) {
      const id = String(await el.getAttribute('data-testid')).replace('failed-step-', '');
      hosts[id] = await el.innerText();
    }
    const stageError = this.page.locator(`[data-testid^="stage-error-"][lang="${LANGS[lang]}"]`);
    return { summary: await summary.innerText(), stageError: await stageError.innerText(), hosts };
  }

  async backToReview(): Promise<void> {
    await this.byId('deploy-edit').click();
    await this.waitForStep('review');
  }

  async openDeployedCluster(): Promise<void> {
    await this.byId('deploy-open-cluster').click();
    await this.byId('detail-card').waitFor({ timeout: this.timeout });
  }
}
