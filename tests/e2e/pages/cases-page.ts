import type { Locator, Page } from 'playwright-core';

/** The case list: search, state filter, table, detail drawer. */
export class CasesPage {
  constructor(readonly page: Page) {}

  byTestId(testId: string): Locator {
    return this.page.getByTestId(testId);
  }

  async show(): Promise<void> {
    await this.byTestId('nav-cases').click();
    await this.byTestId('cases-screen').waitFor();
  }

  searchInput(): Locator {
    return this.byTestId('cases-search').locator('input');
  }

  /** Types the query, presses Enter and waits until the list shows the answer to it. */
  async search(query: string): Promise<void> {
    await this.searchInput().fill(query);
    await this.searchInput().press('Enter');
    await this.page.locator(`[data-testid="cases-total"][data-query="${query.trim()}"]`).waitFor();
  }

  async filterState(state: 'all' | 'draft' | 'confirmed'): Promise<void> {
    await this.byTestId(`state-filter-${state}`).click();
  }

  rows(): Locator {
    return this.page.locator('[data-testid="case-row"]');
  }

  row(code: string): Locator {
    return this.page.locator(`[data-testid="case-row"][data-case-code="${code}"]`);
  }

  async rowCodes(): Promise<string[]> {
    return this.rows().evaluateAll((rows) => rows.map((row) => row.getAttribute('data-case-code') ?? ''));
  }

  async openCase(code: string): Promise<Locator> {
    await this.row(code).click();
    const detail = this.page.locator(`[data-testid="case-detail"][data-case-code="${code}"]`);
    await detail.waitFor();
    return detail;
  }

  async closeDrawer(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.byTestId('case-detail').waitFor({ state: 'detached' });
  }
}
