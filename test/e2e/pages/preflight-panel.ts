import type { Locator, Page } from 'playwright-core';

/** One check on one host, as the review's preflight table shows it. */
export interface PreflightRow {
  verdict: string;
  label: string;
  /** The check's id, kept as the label's title. */
  id: string;
  value: string;
  fix: string;
}

/** The preflight panel of the review step: the table of checks and the Fix action. */
export class PreflightPanel {
  constructor(
    private readonly page: Page,
    private readonly timeout = 60_000,
  ) {}

  private rowOf(host: string, check: string): Locator {
    return this.page.getByTestId(`preflight-${host}-${check}`);
  }

  /** Runs the checks and waits for the table. */
  async run(): Promise<void> {
    await this.page.getByTestId('preflight-run').click();
    await this.page.getByTestId('preflight-table').waitFor({ timeout: this.timeout });
    await this.page.getByTestId('preflight-summary').waitFor({ timeout: this.timeout });
  }

  async row(host: string, check: string): Promise<PreflightRow> {
    const row = this.rowOf(host, check);
    await row.waitFor({ timeout: this.timeout });
    const text = async (id: string) => (await row.getByTestId(id).innerText()).trim();
    return {
      verdict: String(await row.getAttribute('data-verdict')),
      label: await text('preflight-label'),
      id: String(await row.getByTestId('preflight-label').getAttribute('title')),
      value: await text('preflight-value'),
      fix: await text('preflight-fix-text'),
    };
  }

  /** Waits until a check shows the given verdict. */
  async waitForVerdict(host: string, check: string, verdict: string): Promise<void> {
    await this.page
      .locator(`[data-testid="preflight-${host}-${check}"][data-verdict="${verdict}"]`)
      .waitFor({ timeout: this.timeout });
  }

  /** Whether the Fix action is offered. */
  async canFix(): Promise<boolean> {
    return this.page.getByTestId('preflight-fix').isVisible();
  }

  /** Presses Fix and waits for the list of changes made; answers its lines. */
  async fix(): Promise<string[]> {
    await this.page.getByTestId('preflight-fix').click();
    const applied = this.page.getByTestId('preflight-applied');
    await applied.waitFor({ timeout: this.timeout });
    return applied.locator('li').allInnerTexts();
  }
}
