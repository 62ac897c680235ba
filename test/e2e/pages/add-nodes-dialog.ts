import type { Locator, Page } from 'playwright-core';

/** The cluster detail's "Add worker nodes" button and its dialog. */
export class AddNodesDialog {
  constructor(
    private readonly page: Page,
    private readonly timeout = 30_000,
  ) {}

  private byId(id: string): Locator {
    return this.page.getByTestId(id);
  }

  private input(id: string): Locator {
    return this.dialog().getByTestId(id).locator('input, textarea').first();
  }

  dialog(): Locator {
    return this.byId('add-nodes-dialog');
  }

  /** Whether the button can be pressed, and the reason shown when it cannot. */
  async button(): Promise<{ disabled: boolean; reason: string }> {
    const button = this.byId('add-nodes-button');
    await button.waitFor({ timeout: this.timeout });
    return {
      disabled: await button.isDisabled(),
      reason: String(await this.byId('add-nodes-reason').getAttribute('data-reason')),
    };
  }

  /** The reason's tooltip, as the engineer sees it on hovering the disabled button. */
  async hoverReason(): Promise<string> {
    await this.byId('add-nodes-reason').hover();
    const tip = this.page.locator('.n-tooltip');
    await tip.waitFor({ timeout: this.timeout });
    return (await tip.innerText()).trim();
  }

  async open(): Promise<void> {
    await this.byId('add-nodes-button').click();
    await this.dialog().waitFor({ timeout: this.timeout });
  }

  /** Fills the workers' rows, adding rows as needed. */
  async fillWorkers(workers: { ip: string; name?: string }[]): Promise<void> {
    for (const [i, w] of workers.entries()) {
      if (i > 0) await this.dialog().getByTestId('add-node-row').click();
      await this.input(`add-node-ip-${i}`).fill(w.ip);
      if (w.name) await this.input(`add-node-name-${i}`).fill(w.name);
    }
  }

  /** Logs in with this user and password instead of the cluster's own login. */
  async usePassword(user: string, password: string): Promise<void> {
    await this.dialog().getByTestId('add-nodes-cluster-login').click();
    await this.input('ssh-user').fill(user);
    await this.input('ssh-password').fill(password);
  }

  /** The values of the dialog's password fields, as the page holds them. */
  async passwordValues(): Promise<string[]> {
    return this.dialog()
      .locator('input[type="password"]')
      .evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
  }

  async start(): Promise<void> {
    await this.dialog().getByTestId('add-nodes-start').click();
  }

  /** Waits for the service's refusal in the dialog: its field and text. */
  async refusal(): Promise<{ field: string; text: string }> {
    const alert = this.dialog().getByTestId('error-alert');
    await alert.waitFor({ timeout: this.timeout });
    return {
      field: String(await alert.getAttribute('data-field')),
      text: (await alert.getByTestId('error-text').innerText()).trim(),
    };
  }

  /** Waits until the node create shown in the dialog is over; answers its state. */
  async waitForEnd(timeout = 120_000): Promise<string> {
    const state = this.dialog().locator('[data-testid="deploy-state"][data-over="true"]');
    await state.waitFor({ timeout });
    return String(await state.getAttribute('data-state'));
  }

  async close(): Promise<void> {
    await this.dialog().getByTestId('add-nodes-close').click();
    await this.dialog().waitFor({ state: 'hidden', timeout: this.timeout });
  }
}
