import type { Locator, Page } from 'playwright-core';

/** The cluster history and a cluster's detail view. */
export class HistoryPage {
  constructor(
    private readonly page: Page,
    private readonly timeout = 30_000,
  ) {}

  private byId(id: string): Locator {
    return this.page.getByTestId(id);
  }

  /** Opens the history from the navigation and waits for the list to be read. */
  async openFromNav(): Promise<void> {
    await this.byId('nav-clusters').click();
    await this.byId('history').waitFor({ timeout: this.timeout });
  }

  /** Loads the app at its history page (a fresh page load: the token comes from the URL). */
  async openAt(urlWithToken: string): Promise<void> {
    await this.page.goto(urlWithToken);
    await this.byId('wizard').waitFor({ timeout: this.timeout });
    await this.openFromNav();
  }

  row(name: string): Locator {
    return this.byId(`cluster-row-${name}`);
  }

  /** Waits for the cluster's row and answers its state. */
  async stateOf(name: string): Promise<string> {
    const state = this.row(name).locator('[data-state]').first();
    await state.waitFor({ timeout: this.timeout });
    return String(await state.getAttribute('data-state'));
  }

  /** The names in the list, top to bottom (the table scrolls virtually: enough for a few). */
  async names(): Promise<string[]> {
    return this.page
      .locator('[data-testid^="cluster-row-"]')
      .evaluateAll((els) =>
        els.map((e) => String(e.getAttribute('data-testid')).replace('cluster-row-', '')),
      );
  }

  /** Waits until the list shows exactly these names, in this order. */
  async waitForNames(names: string[], anyOrder = false): Promise<void> {
    await this.page.waitForFunction(
      ({ want, anyOrder }) => {
        const shown = Array.from(document.querySelectorAll('[data-testid^="cluster-row-"]')).map(
          (e) => String(e.getAttribute('data-testid')).replace('cluster-row-', ''),
        );
        return JSON.stringify(anyOrder ? shown.sort() : shown) === want;
      },
      { want: JSON.stringify(names), anyOrder },
      { timeout: this.timeout },
    );
  }

  /** Waits until the list shows exactly these names, in any order. */
  async waitForNameSet(names: string[]): Promise<void> {
    await this.waitForNames([...names].sort(), true);
  }

  /** Clicks a column's header to sort by it; answers the sort the service was asked for. */
  async sortBy(columnKey: string): Promise<{ by: string; desc: string }> {
    const table = this.byId('cluster-table');
    const before = `${await table.getAttribute('data-sort-by')}/${await table.getAttribute('data-sort-desc')}`;
    await table.locator(`th[data-col-key="${columnKey}"]`).click();
    await this.page.waitForFunction(
      (was) => {
        const t = document.querySelector('[data-testid="cluster-table"]');
        return `${t?.getAttribute('data-sort-by')}/${t?.getAttribute('data-sort-desc')}` !== was;
      },
      before,
      { timeout: this.timeout },
    );
    return {
      by: String(await table.getAttribute('data-sort-by')),
      desc: String(await table.getAttribute('data-sort-desc')),
    };
  }

  async filter(text: string): Promise<void> {
    await this.byId('history-filter').locator('input').fill(text);
  }

  /** Shows a tab of the detail view: nodes, settings or deploys. */
  async detailTab(name: 'nodes' | 'settings' | 'deploys'): Promise<void> {
    await this.byId('detail-card').locator(`.n-tabs-tab[data-name="${name}"]`).click();
  }

  /** The deploy record in the detail view: its state and each stage's state. */
  async deployRecord(): Promise<{ state: string; stages: string[] }> {
    await this.detailTab('deploys');
    const state = this.page.locator('[data-testid="deploy-state"][data-over="true"]');
    await state.waitFor({ timeout: this.timeout });
    const stages = await this.page
      .locator('[data-testid^="stage-"][data-state]')
      .evaluateAll((els) => els.map((e) => String(e.getAttribute('data-state'))));
    return { state: String(await state.getAttribute('data-state')), stages };
  }

  async detailVersion(): Promise<string> {
    await this.detailTab('settings');
    return (await this.byId('detail-version').innerText()).trim();
  }

  /** Removes the open cluster, confirming in the dialog; back at the list. */
  async deleteOpenCluster(): Promise<void> {
    await this.byId('detail-delete').click();
    await this.byId('delete-dialog').waitFor({ timeout: this.timeout });
    await this.byId('delete-confirm').click();
    await this.byId('history').waitFor({ timeout: this.timeout });
  }

  /** Opens a cluster's detail view by clicking its row. */
  async open(name: string): Promise<void> {
    await this.row(name).click();
    await this.byId('detail-card').waitFor({ timeout: this.timeout });
  }

  async detailNodes(): Promise<string[]> {
    const rows = this.page.locator('[data-testid^="node-row-"]');
    await rows.first().waitFor({ timeout: this.timeout });
    const ids = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    return ids.map((id) => String(id).replace('node-row-', '')).sort();
  }

  /** The detail view's nodes: address, state as stored, and the state as the page says it. */
  async detailNodeStates(): Promise<{ ip: string; state: string; shown: string }[]> {
    const rows = this.page.locator('[data-testid^="node-row-"]');
    await rows.first().waitFor({ timeout: this.timeout });
    return rows.evaluateAll((els) =>
      els.map((e) => ({
        ip: String(e.getAttribute('data-testid')).replace('node-row-', ''),
        state: String(e.getAttribute('data-state')),
        shown: String(e.querySelectorAll('td')[3]?.textContent).trim(),
      })),
    );
  }

  /** The detail view's list of deploys, top to bottom, once read: each with its id, kind,
   * state, whether it is the one shown, and its stages' states. */
  async deploys(): Promise<
    { id: string; kind: string; state: string; picked: string; stages: string }[]
  > {
    await this.detailTab('deploys');
    await this.page
      .locator('[data-testid="deploy-history"][data-loaded="true"]')
      .waitFor({ timeout: this.timeout });
    return this.page.locator('[data-testid^="deploy-row-"]').evaluateAll((els) =>
      els.map((e) => ({
        id: String(e.getAttribute('data-testid')).replace('deploy-row-', ''),
        kind: String(e.getAttribute('data-kind')),
        state: String(e.getAttribute('data-state')),
        picked: String(e.getAttribute('data-picked')),
        stages: String(
          e.querySelector('[data-testid="deploy-stages"]')?.getAttribute('data-states'),
        ),
      })),
    );
  }

  /** Waits until the list of deploys has `count` rows. */
  async waitForDeployCount(count: number): Promise<void> {
    await this.detailTab('deploys');
    await this.page
      .locator(`[data-testid="deploy-list"][data-count="${count}"]`)
      .waitFor({ timeout: this.timeout });
  }

  /** Shows one deploy of the list; waits until it is the one shown. */
  async pickDeploy(id: string): Promise<void> {
    await this.byId(`deploy-row-${id}`).click();
    await this.page
      .locator(`[data-testid="deploy-progress"][data-deploy-id="${id}"]`)
      .waitFor({ timeout: this.timeout });
  }

  /** The deploy shown under the list: its id, state and each stage's state. */
  async shownDeploy(): Promise<{ id: string; state: string; stages: string[] }> {
    const shown = this.byId('deploy-progress');
    await shown.waitFor({ timeout: this.timeout });
    const stages = await shown
      .locator('[data-testid^="stage-"][data-state]')
      .evaluateAll((els) => els.map((e) => String(e.getAttribute('data-state'))));
    return {
      id: String(await shown.getAttribute('data-deploy-id')),
      state: String(await shown.getByTestId('deploy-state').getAttribute('data-state')),
      stages,
    };
  }

  /** The shown deploy's failure: the text shown per failed host (its step and output). */
  async shownFailures(): Promise<Record<string, string>> {
    const box = this.byId('deploy-progress').getByTestId('deploy-failure');
    await box.waitFor({ timeout: this.timeout });
    const hosts: Record<string, string> = {};
    for (const el of await box.locator('[data-testid^="failed-step-"]').all()) {
      const id = String(await el.getAttribute('data-testid')).replace('failed-step-', '');
      hosts[id] = await el.innerText();
    }
    return hosts;
  }

  /** Opens a host's steps in the shown deploy; answers "step: state" for each, in order. */
  async hostSteps(ip: string): Promise<string[]> {
    await this.byId(`deploy-host-${ip}`).locator('.n-data-table-expand-trigger').click();
    const steps = this.page.locator(`[data-testid^="host-step-${ip}-"]`);
    await steps.first().waitFor({ timeout: this.timeout });
    return steps.evaluateAll((els) =>
      els.map(
        (e) =>
          `${String(e.getAttribute('data-testid')).replace(/^host-step-[\d.]+-/, '')}: ${e.getAttribute('data-state')}`,
      ),
    );
  }

  /** A step's output in the shown deploy, opened from its host's steps. */
  async stepOutput(ip: string, step: string): Promise<string> {
    const item = this.byId(`host-step-${ip}-${step}`);
    await item.locator('.n-collapse-item__header').click();
    const output = item.locator('.step-output');
    await output.waitFor({ timeout: this.timeout });
    return output.innerText();
  }

  /** The tenant the history shows: its uuid and name. */
  async tenant(): Promise<{ uuid: string; name: string }> {
    const picker = this.byId('tenant-picker');
    return {
      uuid: String(await picker.getAttribute('data-tenant')),
      name: String(await picker.getAttribute('data-tenant-name')),
    };
  }

  /** Waits until the tenant select shows this label for the tenant picked: "name (count)". */
  async waitForTenantLabel(label: string): Promise<void> {
    await this.page.waitForFunction(
      (want) =>
        document
          .querySelector('[data-testid="tenant-select"] .n-base-selection-label')
          ?.textContent?.trim() === want,
      label,
      { timeout: this.timeout },
    );
  }

  private async waitForTenantName(name: string): Promise<void> {
    await this.page
      .locator(`[data-testid="tenant-picker"][data-tenant-name="${name}"]`)
      .waitFor({ timeout: this.timeout });
  }

  private async saveTenantName(name: string): Promise<void> {
    await this.byId('tenant-name').locator('input').fill(name);
    await this.byId('tenant-save').click();
    await this.waitForTenantName(name);
    await this.byId('tenant-new').waitFor({ timeout: this.timeout });
  }

  /** Creates a tenant from the picker; the history then shows it. */
  async createTenant(name: string): Promise<void> {
    await this.byId('tenant-new').click();
    await this.saveTenantName(name);
  }

  /** Renames the tenant shown. */
  async renameTenant(name: string): Promise<void> {
    await this.byId('tenant-rename').click();
    await this.saveTenantName(name);
  }

  /** Picks a tenant by its name in the select. */
  async pickTenant(name: string): Promise<void> {
    await this.byId('tenant-select').click();
    await this.byId(`tenant-option-${name}`).click();
    await this.waitForTenantName(name);
  }

  /** Waits until the history says it holds `count` clusters, with the list read. */
  async waitForCount(count: number): Promise<void> {
    await this.page
      .locator(`[data-testid="history-count"][data-count="${count}"]`)
      .waitFor({ timeout: this.timeout });
    await this.page
      .locator('[data-testid="cluster-table"][data-loading="false"]')
      .waitFor({ timeout: this.timeout });
  }

  /** Waits until the list shows this page of this size, read. */
  private async waitForPage(page: number, size: number): Promise<void> {
    await this.page
      .locator(
        `[data-testid="cluster-table"][data-page="${page}"][data-page-size="${size}"][data-loading="false"]`,
      )
      .waitFor({ timeout: this.timeout });
  }

  /** Chooses the page size in the pager: the list goes back to its first page. */
  async setPageSize(size: number): Promise<void> {
    await this.page.locator('.n-pagination .n-base-selection').click();
    await this.page
      .locator('.n-base-select-option', { hasText: new RegExp(`^${size} / page$`) })
      .click();
    await this.waitForPage(1, size);
  }

  /** Goes to the next page with the pager's button. */
  async nextPage(): Promise<void> {
    const table = this.byId('cluster-table');
    const page = Number(await table.getAttribute('data-page'));
    const size = Number(await table.getAttribute('data-page-size'));
    await this.page.locator('.n-pagination .n-pagination-item--button').last().click();
    await this.waitForPage(page + 1, size);
  }

  /** Sorts by name, ascending. */
  async sortByNameAscending(): Promise<void> {
    for (let i = 0; i < 3; i++) {
      const table = this.byId('cluster-table');
      if (
        (await table.getAttribute('data-sort-by')) === 'TopKESortByName' &&
        (await table.getAttribute('data-sort-desc')) === 'false'
      )
        return;
      await this.sortBy('name');
    }
    throw new Error('the list would not sort by name, ascending');
  }

  /** The node count, source and certificate expiry cells of a cluster's row. */
  async cells(name: string): Promise<{
    nodes: string;
    source: string;
    sourceText: string;
    certTime: string;
    certText: string;
  }> {
    const row = this.row(name);
    await row.waitFor({ timeout: this.timeout });
    const source = row.getByTestId('cell-source');
    const cert = row.getByTestId('cell-cert-expiry');
    return {
      nodes: (await row.getByTestId('cell-nodes').innerText()).trim(),
      source: String(await source.getAttribute('data-source')),
      sourceText: (await source.innerText()).trim(),
      certTime: String(await cert.getAttribute('data-time')),
      certText: (await cert.innerText()).trim(),
    };
  }

  /** Waits until the detail view's header shows this state. */
  async waitForDetailState(state: string): Promise<void> {
    await this.byId('detail-card')
      .locator(`.n-card-header [data-state="${state}"]`)
      .waitFor({ timeout: this.timeout });
  }

  /** Clicks "check now" and waits until the detail view shows this state and version. */
  async checkNow(want: { state: string; version: string }): Promise<void> {
    await this.byId('detail-check').click();
    await this.waitForDetailState(want.state);
    await this.detailTab('settings');
    await this.page.waitForFunction(
      (version) =>
        document.querySelector('[data-testid="detail-version"]')?.textContent?.trim() === version,
      want.version,
      { timeout: this.timeout },
    );
  }

  /** Downloads the open cluster's kubeconfig: the file's suggested name and its text. */
  async downloadKubeconfig(): Promise<{ fileName: string; text: string }> {
    const [download] = await Promise.all([
      this.page.waitForEvent('download', { timeout: this.timeout }),
      this.byId('detail-kubeconfig').click(),
    ]);
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return { fileName: download.suggestedFilename(), text: Buffer.concat(chunks).toString('utf8') };
  }

  /** Goes back from the detail view to the list. */
  async back(): Promise<void> {
    await this.byId('detail-back').click();
    await this.byId('history').waitFor({ timeout: this.timeout });
  }
}
