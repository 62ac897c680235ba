import type { Locator, Page } from 'playwright-core';

/** What the app's page objects share: the page, how long a wait may take, and the lookups by
 * test id that the app's markup is written for. */
export abstract class AppPage {
  constructor(
    protected readonly page: Page,
    protected readonly timeout = 30_000,
  ) {}

  protected byId(id: string): Locator {
    return this.page.getByTestId(id);
  }

  /** The text field of the input with test id `id` (naive-ui wraps an input or a textarea). */
  protected input(id: string): Locator {
    return this.byId(id).locator('input, textarea').first();
  }

  /** Waits for the error alert inside `within` and reads its text and the field it names. */
  protected async alertIn(within: Locator): Promise<{ text: string; field: string }> {
    const alert = within.getByTestId('error-alert');
    await alert.waitFor({ timeout: this.timeout });
    return {
      text: (await alert.getByTestId('error-text').innerText()).trim(),
      field: String(await alert.getAttribute('data-field')),
    };
  }
}
