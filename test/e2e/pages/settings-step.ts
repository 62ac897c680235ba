import type { Locator, Page } from 'playwright-core';

/** The wizard's settings step as it checks what is typed (each field's own message, in red),
 * and the scan form's SSH ports field. Every wait is on a condition. */
export class SettingsStepPage {
  constructor(
    private readonly page: Page,
    private readonly timeout = 30_000,
  ) {}

  private input(id: string): Locator {
    return this.page.getByTestId(id).locator('input').first();
  }

  async type(id: 'settings-name' | 'settings-pod-cidr' | 'settings-service-cidr', value: string) {
    await this.input(id).fill(value);
  }

  async fillSshPorts(ports: string): Promise<void> {
    await this.input('scan-ssh-ports').fill(ports);
  }

  /** The message under a field once it shows one; '' when the field is right. */
  async problem(item: string): Promise<string> {
    const feedback = this.page.getByTestId(item).locator('.n-form-item-feedback__line');
    if ((await feedback.count()) === 0) return '';
    return (await feedback.innerText()).trim();
  }

  /** Waits until the field shows `text` (or, for '', no message at all). */
  async waitForProblem(item: string, text: string): Promise<void> {
    await this.page.waitForFunction(
      ({ item, text }) => {
        const line = document.querySelector(`[data-testid="${item}"] .n-form-item-feedback__line`);
        return (line?.textContent?.trim() ?? '') === text;
      },
      { item, text },
      { timeout: this.timeout },
    );
  }

  async nextDisabled(): Promise<boolean> {
    return this.page.getByTestId('wizard-next').isDisabled();
  }

  /** The host table row's text. */
  async hostRowText(ip: string): Promise<string> {
    return (await this.page.getByTestId(`host-row-${ip}`).innerText()).trim();
  }
}
