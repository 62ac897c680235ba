import type { Locator, Page } from 'playwright-core';

/** The kubeconfig import view: files, pasted text, contexts, import. */
export class ImportPage {
  constructor(
    private readonly page: Page,
    private readonly timeout = 30_000,
  ) {}

  private byId(id: string): Locator {
    return this.page.getByTestId(id);
  }

  async openFromHistory(): Promise<void> {
    await this.byId('history-import').click();
    await this.byId('import-view').waitFor({ timeout: this.timeout });
  }

  /** Adds files as the file picker would; waits until each is read. */
  async addFiles(paths: string[]): Promise<void> {
    const count = (await this.statuses()).length + paths.length;
    await this.byId('kubeconfig-file').setInputFiles(paths);
    await this.waitForSettled(count, ['inspecting']);
  }

  /** Drops a file on the drop zone, as UTF-16LE with a byte order mark (as Windows tools write
   * them); waits until it is read. */
  async dropUtf16File(fileName: string, text: string): Promise<void> {
    const count = (await this.statuses()).length + 1;
    const transfer = await this.page.evaluateHandle(
      ({ fileName, text }) => {
        const bytes = new Uint8Array(2 + text.length * 2);
        bytes.set([0xff, 0xfe]);
        for (let i = 0; i < text.length; i++) {
          const code = text.charCodeAt(i);
          bytes[2 + 2 * i] = code & 0xff;
          bytes[3 + 2 * i] = code >> 8;
        }
        const data = new DataTransfer();
        data.items.add(new File([bytes], fileName));
        return data;
      },
      { fileName, text },
    );
    await this.byId('kubeconfig-drop').dispatchEvent('drop', { dataTransfer: transfer });
    await this.waitForSettled(count, ['inspecting']);
  }

  /** How the service read the last source: its character set and whether it had a BOM. */
  async lastEncoding(): Promise<{ charset: string; bom: string }> {
    const tag = this.byId('import-encoding').last();
    return {
      charset: String(await tag.getAttribute('data-charset')),
      bom: String(await tag.getAttribute('data-bom')),
    };
  }

  async paste(text: string, name: string): Promise<void> {
    const count = (await this.statuses()).length + 1;
    await this.byId('kubeconfig-text').locator('textarea').fill(text);
    await this.byId('kubeconfig-paste-name').locator('input').fill(name);
    await this.byId('kubeconfig-paste-add').click();
    await this.waitForSettled(count, ['inspecting']);
  }

  /** Waits until there are `count` sources and none is in one of the `busy` states. */
  private async waitForSettled(count: number, busy: string[]): Promise<void> {
    await this.page.waitForFunction(
      ({ count, busy }) => {
        const states = Array.from(
          document.querySelectorAll('[data-testid^="import-source-"][data-status]'),
        ).map((e) => String(e.getAttribute('data-status')));
        return states.length === count && !states.some((s) => busy.includes(s));
      },
      { count, busy },
      { timeout: this.timeout },
    );
  }

  /** Each source card's status, in the order they were added. */
  async statuses(): Promise<string[]> {
    return this.page
      .locator('[data-testid^="import-source-"][data-status]')
      .evaluateAll((els) => els.map((e) => String(e.getAttribute('data-status'))));
  }

  /** A context row: whether it is valid, and the text of its problems. */
  async context(name: string): Promise<{ valid: string; problems: string }> {
    const row = this.byId(`context-${name}`);
    await row.waitFor({ timeout: this.timeout });
    const problems = await row.locator('[data-testid="context-problem"]').allInnerTexts();
    return { valid: String(await row.getAttribute('data-valid')), problems: problems.join('\n') };
  }

  /** Imports every ready source; waits until each is imported or refused. */
  async importAll(): Promise<void> {
    const count = (await this.statuses()).length;
    await this.byId('import-start').click();
    await this.waitForSettled(count, ['inspecting', 'ready', 'importing']);
  }

  /** The last source's exec plugins as the consent box shows them: command line and fingerprint. */
  async execPlugins(): Promise<{ commandLine: string; fingerprint: string }[]> {
    const card = this.page.locator('[data-testid^="import-source-"][data-status]').last();
    const plugins = card.getByTestId('exec-plugin');
    return plugins.evaluateAll((els) =>
      els.map((e) => ({
        commandLine: String(e.querySelector('[data-testid="exec-command"]')?.textContent),
        fingerprint: String(e.getAttribute('data-fingerprint')),
      })),
    );
  }

  /** Ticks "Allow this command to run" for the plugin with this fingerprint. */
  async allowExec(fingerprint: string): Promise<void> {
    const plugin = this.page.locator(
      `[data-testid="exec-plugin"][data-fingerprint="${fingerprint}"]`,
    );
    await plugin.getByTestId('exec-allow').click();
  }

  /** The last source's error: its field and the sentence shown. */
  async lastError(): Promise<{ field: string; text: string }> {
    const card = this.page.locator('[data-testid^="import-source-"][data-status]').last();
    const alert = card.getByTestId('error-alert');
    return {
      field: String(await alert.getAttribute('data-field')),
      text: await alert.getByTestId('error-text').innerText(),
    };
  }

  async back(): Promise<void> {
    await this.byId('import-back').click();
    await this.byId('history').waitFor({ timeout: this.timeout });
  }

  /** Whether a context row carries the "TLS not verified" badge. */
  async contextInsecure(name: string): Promise<boolean> {
    const row = this.byId(`context-${name}`);
    await row.waitFor({ timeout: this.timeout });
    return (await row.getByTestId('context-insecure').count()) === 1;
  }

  /** The warnings the last source shows, as text: before import, and for each cluster imported. */
  async lastNotices(): Promise<string[]> {
    const card = this.page.locator('[data-testid^="import-source-"][data-status]').last();
    return card.getByTestId('notice').allInnerTexts();
  }

  /** Saves the last source although its server did not answer; waits until it is saved. */
  async saveUnreachable(): Promise<void> {
    const count = (await this.statuses()).length;
    await this.byId('import-save-unreachable').last().click();
    await this.waitForSettled(count, ['inspecting', 'ready', 'importing', 'failed']);
  }
}
