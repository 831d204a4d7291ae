import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { RunningServer } from '../support/server';

export type SpeakerName = 'caller' | 'operator';

/** The live-call screen: call bar, transcript with typing and sample playback, work-order form. */
export class LiveCallPage {
  constructor(readonly page: Page) {}

  byTestId(testId: string): Locator {
    return this.page.getByTestId(testId);
  }

  async open(server: RunningServer): Promise<void> {
    await this.page.goto(server.url);
    await this.byTestId('live-call-screen').waitFor();
    await this.byTestId('start-call').waitFor();
  }

  async show(): Promise<void> {
    await this.byTestId('nav-live').click();
    await this.byTestId('live-call-screen').waitFor();
  }

  callState(): Locator {
    return this.byTestId('call-state');
  }

  async callId(): Promise<string> {
    return (await this.callState().getAttribute('data-call-id')) ?? '';
  }

  async startCall(callerLine?: string): Promise<void> {
    if (callerLine !== undefined) await this.byTestId('caller-line-input').fill(callerLine);
    await this.byTestId('start-call').click();
    await this.page.locator('[data-testid="call-state"][data-state="active"]').waitFor();
  }

  async startCallWithShortcut(): Promise<void> {
    await this.page.keyboard.press('Alt+N');
    await this.page.locator('[data-testid="call-state"][data-state="active"]').waitFor();
  }

  async endCall(): Promise<void> {
    await this.byTestId('end-call').click();
    await this.page.locator('[data-testid="call-state"][data-state="ended"]').waitFor();
  }

  /** Picks an option of an antd Select whose label carries `optionTestId`. */
  private async pickOption(selectTestId: string, optionTestId: string): Promise<void> {
    await this.byTestId(selectTestId).click();
    await this.page.locator(`.ant-select-dropdown:visible [data-testid="${optionTestId}"]`).click();
    await this.page.locator('.ant-select-dropdown:visible').waitFor({ state: 'hidden' });
  }

  async playScript(scriptId: string, speed: number): Promise<void> {
    await this.pickOption('script-select', `script-option-${scriptId}`);
    await this.pickOption('script-speed', `speed-option-${speed}`);
    await this.byTestId('script-play').click();
  }

  playbackProgress(): Locator {
    return this.byTestId('script-progress');
  }

  segments(): Locator {
    return this.byTestId('transcript-list').getByTestId('transcript-segment');
  }

  segmentTexts(): Promise<string[]> {
    return this.byTestId('transcript-list').getByTestId('segment-text').allTextContents();
  }

  async segmentSpeakers(): Promise<string[]> {
    return this.segments().evaluateAll((items) => items.map((item) => item.getAttribute('data-speaker') ?? ''));
  }

  /** Switches the typed speaker with its shortcut, types the line and presses Enter. */
  async typeLine(speaker: SpeakerName, text: string): Promise<void> {
    await this.page.keyboard.press(speaker === 'caller' ? 'Alt+1' : 'Alt+2');
    const input = this.byTestId('typing-input');
    await this.page.locator(`[data-testid="typing-input"][data-speaker="${speaker}"]`).waitFor();
    await input.fill(text);
    await input.press('Enter');
    // The box empties once the line is accepted; the line itself arrives by event.
    await expect.poll(() => input.inputValue()).toBe('');
  }

  // ---- work order ----

  field(path: string): Locator {
    return this.byTestId(`field-${path}`);
  }

  fieldError(path: string): Locator {
    return this.field(path).locator('.ant-form-item-explain-error');
  }

  input(path: string): Locator {
    return this.byTestId(`input-${path}`);
  }

  async fill(path: string, value: string): Promise<void> {
    await this.input(path).fill(value);
  }

  async chooseAppealType(appealType: string): Promise<void> {
    await this.byTestId(`appealType-${appealType}`).click();
  }

  async chooseUrgency(urgency: string): Promise<void> {
    await this.byTestId(`urgency-${urgency}`).click();
  }

  async chooseCategory(path: string[]): Promise<void> {
    await this.input('category').click();
    const dropdown = this.page.locator('.ant-cascader-dropdown:visible');
    for (const [level, name] of path.entries()) {
      await dropdown.locator('.ant-cascader-menu').nth(level).locator(`li[title="${name}"]`).click();
    }
    // changeOnSelect keeps the menu open while a level has children; close it when done.
    if (await dropdown.isVisible()) await this.page.keyboard.press('Escape');
    await dropdown.waitFor({ state: 'hidden' });
  }

  async chooseDepartment(name: string): Promise<void> {
    await this.input('department').click();
    await this.input('department').locator('input').fill(name);
    await this.page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${name}"]`).click();
  }

  async pickAddress(text: string): Promise<string> {
    const search = this.byTestId('address-search').locator('input');
    await search.fill(text);
    const option = this.page.locator('.ant-select-dropdown:visible [data-testid="address-option"]').first();
    const code = (await option.getAttribute('data-code')) ?? '';
    await option.click();
    return code;
  }

  answerValue(): Promise<string> {
    return this.input('answer').inputValue();
  }

  /** A knowledge-base citation tag in the work order. */
  citation(articleId: string): Locator {
    return this.byTestId(`cited-article-${articleId}`);
  }

  async citationIds(): Promise<string[]> {
    return this.field('citedArticles')
      .locator('[data-testid^="cited-article-"]')
      .evaluateAll((tags) => tags.map((tag) => (tag.getAttribute('data-testid') ?? '').replace('cited-article-', '')));
  }

  caseCode(): Locator {
    return this.byTestId('case-code');
  }

  caseState(): Locator {
    return this.byTestId('case-state');
  }

  async saveDraft(): Promise<string> {
    await this.byTestId('save-draft').click();
    await this.page.locator('[data-testid="case-state"]').waitFor();
    return (await this.caseCode().textContent()) ?? '';
  }

  async confirm(): Promise<void> {
    await this.byTestId('confirm-case').click();
  }

  /**
   * Accepts every proposal still waiting for review, as an operator does who agrees with them: once
   * the draft has heard every line, the count beside Confirm leads to each field, and Enter accepts it.
   */
  async acceptAllProposals(): Promise<void> {
    const lines = await this.segments().count();
    await expect.poll(async () => Number((await this.byTestId('case-form-pane').getAttribute('data-draft-segments')) || 0)).toBe(lines);
    const pending = this.byTestId('pending-proposals');
    const pendingCount = async () => ((await pending.count()) === 0 ? 0 : Number(await pending.getAttribute('data-count')));
    for (let left = await pendingCount(); left > 0; left = await pendingCount()) {
      await pending.click();
      await this.page.keyboard.press('Enter');
      await expect.poll(pendingCount).toBeLessThan(left);
    }
  }
}
