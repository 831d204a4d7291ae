import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

/** The middle pane of the live-call screen: live suggestions, the operator's search, the article drawer. */
export class SuggestionsPane {
  constructor(readonly page: Page) {}

  byTestId(testId: string): Locator {
    return this.page.getByTestId(testId);
  }

  pane(): Locator {
    return this.byTestId('suggestions-pane');
  }

  results(): Locator {
    return this.byTestId('suggestions-results');
  }

  queryInput(): Locator {
    return this.page.locator('input[data-testid="suggestions-query"], [data-testid="suggestions-query"] input').first();
  }

  article(id: string): Locator {
    return this.byTestId(`suggestion-article-${id}`);
  }

  /** The article as listed among the live suggestions (not a search result). */
  liveArticle(id: string): Locator {
    return this.page.locator(`[data-testid="suggestions-results"][data-mode="live"] [data-testid="suggestion-article-${id}"]`);
  }

  articleIds(): Promise<string[]> {
    return this.results()
      .locator('[data-kind="article"]')
      .evaluateAll((items) => items.map((item) => item.getAttribute('data-article-id') ?? ''));
  }

  caseItems(): Locator {
    return this.results().locator('[data-kind="case"]');
  }

  async rankOf(id: string): Promise<number | null> {
    const rank = await this.article(id).getAttribute('data-rank');
    return rank ? Number(rank) : null;
  }

  /** The matched words marked in an item's title and snippet. */
  highlights(item: Locator): Promise<string[]> {
    return item.getByTestId('hit').allTextContents();
  }

  terms(): Promise<string[]> {
    return this.byTestId('suggestions-term').allTextContents();
  }

  mode(): Promise<string | null> {
    return this.results().getAttribute('data-mode');
  }

  segmentCount(): Promise<number> {
    return this.results()
      .getAttribute('data-segment-count')
      .then((value) => Number(value ?? 0));
  }

  /**
   * Types the query, presses Enter and waits until the pane shows the answer to it (the query
   * as sent: trimmed, and cut at 500 characters like the pane cuts it).
   */
  async search(query: string): Promise<void> {
    await this.queryInput().fill(query);
    await this.queryInput().press('Enter');
    const expected = query.trim().slice(0, 500);
    await expect
      .poll(async () => ({
        mode: await this.mode(),
        query: await this.results().getAttribute('data-query'),
        loading: await this.results().getAttribute('data-loading'),
      }))
      .toEqual({ mode: 'search', query: expected, loading: 'false' });
  }

  /** Esc in the query box: back to the live suggestions. */
  async clearWithEscape(): Promise<void> {
    await this.queryInput().press('Escape');
    await expect.poll(() => this.mode()).toBe('live');
  }

  emptyState(): Locator {
    return this.byTestId('suggestions-empty');
  }

  drawerDetail(id?: string): Locator {
    return this.page.locator(id ? `[data-testid="article-detail"][data-article-id="${id}"]` : '[data-testid="article-detail"]');
  }

  async openArticle(id: string): Promise<Locator> {
    await this.article(id).click();
    const detail = this.drawerDetail(id);
    await detail.waitFor();
    return detail;
  }

  async closeDrawer(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.drawerDetail().waitFor({ state: 'detached' });
  }

  insertAnswerButton(): Locator {
    return this.byTestId('article-insert-answer');
  }

  insertCitationButton(): Locator {
    return this.byTestId('article-insert-citation');
  }
}
