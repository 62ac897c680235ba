import { AppPage } from './app-page.js';

export type ScanMode = 'range' | 'cidr' | 'list';

/** How a scan ended, as its summary shows it. */
export interface ScanSummary {
  state: string;
  found: number;
  scanned: number;
  total: number;
  text: string;
}

/** The scan form of the wizard's first step: what to scan (range, CIDR or list, with
 * exclusions), its progress, Stop, and the error of a refused request. Every wait is on a
 * condition. */
export class ScanFormPage extends AppPage {
  /** Chooses how the targets are given and fills them and the exclusions in. */
  async fill(mode: ScanMode, targets: string, exclude = ''): Promise<void> {
    await this.byId(`scan-mode-${mode}`).click();
    const field = { range: 'scan-begin', cidr: 'scan-cidr', list: 'scan-list' }[mode];
    await this.input(field).fill(targets);
    await this.input('scan-exclude').fill(exclude);
  }

  /** Starts the scan filled in. */
  async start(): Promise<void> {
    await this.byId('scan-start').click();
  }

  /** Scans and waits for the summary of the scan's end. */
  async scan(
    mode: ScanMode,
    targets: string,
    exclude = '',
    timeout = 60_000,
  ): Promise<ScanSummary> {
    await this.fill(mode, targets, exclude);
    await this.start();
    return this.summary(timeout);
  }

  /** Waits for the summary (no scan running) and reads it. */
  async summary(timeout = 60_000): Promise<ScanSummary> {
    const box = this.page.locator('[data-testid="scan-summary"]:not([data-state=""])');
    await box.waitFor({ timeout });
    const number = async (name: string) => Number(await box.getAttribute(name));
    return {
      state: String(await box.getAttribute('data-state')),
      found: await number('data-found'),
      scanned: await number('data-scanned'),
      total: await number('data-total'),
      text: (await box.innerText()).trim(),
    };
  }

  /** The refused request's error: its text and the field it names. */
  error(): Promise<{ text: string; field: string }> {
    return this.alertIn(this.byId('scan-form'));
  }

  /** The inputs shown in red, by test id. */
  async faultyInputs(): Promise<string[]> {
    return this.byId('scan-targets')
      .locator('[data-testid].n-input--error-status')
      .evaluateAll((els) => els.map((e) => String(e.getAttribute('data-testid'))));
  }

  /** Records, in the page, every "done" count the progress display shows from now on. */
  async watchProgress(): Promise<void> {
    await this.page.evaluate(() => {
      const seen: number[] = [];
      (window as unknown as { __scanDone: number[] }).__scanDone = seen;
      const record = () => {
        const el = document.querySelector('[data-testid="scan-progress"][data-running="true"]');
        const done = Number(el?.getAttribute('data-done') ?? 0);
        if (el && seen[seen.length - 1] !== done) seen.push(done);
      };
      new MutationObserver(record).observe(document.body, {
        subtree: true,
        childList: true,
        attributes: true,
        attributeFilter: ['data-done', 'data-running'],
      });
      record();
    });
  }

  /** Waits until the running scan's progress has shown `count` different counts above zero. */
  async waitForProgressSteps(count: number): Promise<void> {
    await this.page.waitForFunction(
      (n) =>
        (window as unknown as { __scanDone: number[] }).__scanDone.filter((d) => d > 0).length >= n,
      count,
      { timeout: this.timeout },
    );
  }

  async seenProgress(): Promise<number[]> {
    return this.page.evaluate(() => (window as unknown as { __scanDone: number[] }).__scanDone);
  }

  /** Presses Stop on the running scan. */
  async stop(): Promise<void> {
    await this.byId('scan-cancel').click();
  }

  /** Whether the progress display shows a scan running. */
  async running(): Promise<boolean> {
    return (await this.byId('scan-progress').getAttribute('data-running')) === 'true';
  }
}
