import type { Locator, Page } from 'playwright-core';

/** A node's outcome as the Distribute CA dialog shows it. */
export interface NodeOutcome {
  ip: string;
  ok: string;
  text: string;
}

/** The Registries view: the list, the editor, Distribute CA with its per-node outcome, and
 * delete with its confirmation. Every wait is on a condition. */
export class RegistriesPage {
  constructor(
    private readonly page: Page,
    private readonly timeout = 60_000,
  ) {}

  private byId(id: string): Locator {
    return this.page.getByTestId(id);
  }

  row(address: string): Locator {
    return this.page.locator(`[data-testid="registry-row"][data-address="${address}"]`);
  }

  async openFromNav(): Promise<void> {
    await this.byId('nav-registries').click();
    await this.byId('registries').waitFor({ timeout: this.timeout });
  }

  /** Adds a registry through the editor and waits for its row. */
  async add(r: { address: string; user: string; password: string; ca: string }): Promise<void> {
    await this.byId('registry-add').click();
    const editor = this.byId('registry-editor');
    await editor.waitFor({ timeout: this.timeout });
    await this.byId('registry-form-address').locator('input').fill(r.address);
    await this.byId('registry-form-user').locator('input').fill(r.user);
    await this.byId('registry-form-password').locator('input').fill(r.password);
    await this.byId('registry-form-ca').locator('textarea').fill(r.ca);
    await this.byId('registry-form-save').click();
    await editor.waitFor({ state: 'detached', timeout: this.timeout });
    await this.row(r.address).waitFor({ timeout: this.timeout });
  }

  /** Saves the editor as it is and answers the error it shows. */
  async saveRefused(): Promise<{ field: string; text: string }> {
    await this.byId('registry-form-save').click();
    const alert = this.byId('registry-editor').getByTestId('error-alert');
    await alert.waitFor({ timeout: this.timeout });
    return {
      field: String(await alert.getAttribute('data-field')),
      text: (await alert.getByTestId('error-text').innerText()).trim(),
    };
  }

  async openEditor(address: string): Promise<void> {
    await this.row(address).getByTestId('registry-edit').click();
    await this.byId('registry-editor').waitFor({ timeout: this.timeout });
  }

  async fillAddress(address: string): Promise<void> {
    await this.byId('registry-form-address').locator('input').fill(address);
  }

  async cancelEditor(): Promise<void> {
    await this.byId('registry-form-cancel').click();
    await this.byId('registry-editor').waitFor({ state: 'detached', timeout: this.timeout });
  }

  /** Distributes the registry's CA to the cluster named `cluster`; answers each node's outcome. */
  async distribute(address: string, cluster: string): Promise<NodeOutcome[]> {
    await this.row(address).getByTestId('registry-distribute').click();
    await this.byId('distribute-dialog').waitFor({ timeout: this.timeout });
    await this.byId('distribute-cluster').click();
    await this.page.locator('.n-base-select-option', { hasText: `${cluster} (` }).click();
    await this.byId('distribute-start').click();
    await this.byId('distribute-result').waitFor({ timeout: this.timeout });
    return this.page.locator('[data-testid="distribute-node"]').evaluateAll((els) =>
      els.map((e) => ({
        ip: String(e.getAttribute('data-ip')),
        ok: String(e.getAttribute('data-ok')),
        text: (
          e.querySelector('[data-testid="distribute-node-outcome"]') as HTMLElement
        ).innerText.trim(),
      })),
    );
  }

  async distributeMessage(): Promise<string> {
    return (await this.byId('distribute-message').innerText()).trim();
  }

  async closeDistribute(): Promise<void> {
    await this.byId('distribute-close').click();
    await this.byId('distribute-dialog').waitFor({ state: 'detached', timeout: this.timeout });
  }

  /** Deletes the registry, confirming in the dialog; waits until its row is gone. */
  async remove(address: string): Promise<void> {
    await this.row(address).getByTestId('registry-delete').click();
    await this.byId('registry-delete-dialog').waitFor({ timeout: this.timeout });
    await this.byId('registry-delete-confirm').click();
    await this.row(address).waitFor({ state: 'detached', timeout: this.timeout });
  }
}
