import { describe, expect, it } from 'vitest';
import { CasesPage } from './pages/cases-page';
import { LiveCallPage } from './pages/live-call-page';
import { SuggestionsPane } from './pages/suggestions-pane';
import { saveScreenshot } from './support/browser';
import { useConsoleFixture } from './support/console-fixture';

describe('language toggle', () => {
  const fixture = useConsoleFixture();

  it('switches every label to English and back, and remembers the choice', async () => {
    const live = new LiveCallPage(fixture.page);
    const cases = new CasesPage(fixture.page);
    await live.open(fixture.server);
    expect(await live.byTestId('start-call').textContent()).toContain('开始通话');
    expect(await fixture.page.locator('html').getAttribute('lang')).toBe('zh-CN');

    await live.byTestId('language-toggle').click();
    await expect.poll(() => live.byTestId('start-call').textContent()).toContain('Start call');
    expect(await fixture.page.locator('html').getAttribute('lang')).toBe('en');
    expect(await live.byTestId('nav-live').textContent()).toBe('Live call');
    expect(await live.byTestId('nav-cases').textContent()).toBe('Cases');
    expect(await live.byTestId('speech-state').textContent()).toBe('Speech recognition not installed: please type');
    expect(await live.field('callerPhone').locator('label').textContent()).toBe('Caller phone');
    expect(await live.field('appealType').locator('label').first().textContent()).toBe('Appeal type');
    expect(await live.byTestId('appealType-投诉').textContent()).toBe('Complaint');
    expect(await live.byTestId('save-draft').textContent()).toContain('Save draft');
    expect(await live.byTestId('suggestions-empty').textContent()).toContain('knowledge base');
    expect(await live.byTestId('suggestions-query').getAttribute('placeholder')).toBe('Search answers and past cases');
    expect(await live.field('answer').locator('label').textContent()).toBe('Answer given');

    await live.startCall();
    await live.typeLine('caller', 'Hello, the street light is broken.');
    expect(await live.segments().first().getByTestId('segment-speaker').textContent()).toBe('Caller');
    // The console proposes a summary from the caller's words; the count of proposals to review is English too.
    await expect.poll(() => live.byTestId('pending-proposals').textContent()).toBe('1 proposal to review');
    await live.acceptAllProposals();
    await live.confirm();
    await expect.poll(() => live.fieldError('urgency').textContent()).toBe('Required');
    await saveScreenshot(fixture.page, '10-live-call-english');

    // The suggestions pane speaks English too; the articles themselves stay as written.
    const suggestions = new SuggestionsPane(fixture.page);
    await suggestions.search('燃气泄漏');
    expect(await suggestions.byTestId('suggestions-articles').locator('h3').textContent()).toContain('Policy answers');
    expect(await suggestions.byTestId('suggestions-back').textContent()).toContain('Back to live suggestions');
    expect(await suggestions.article('gas-leak-emergency').textContent()).toContain('insert answer');
    await saveScreenshot(fixture.page, '15-suggestions-english');
    await suggestions.clearWithEscape();

    await cases.show();
    expect(await fixture.page.locator('.ant-table-thead').textContent()).toContain('Case code');
    // antd's own texts follow the locale too (the empty table).
    await saveScreenshot(fixture.page, '11-cases-english');

    // The choice survives a reload.
    await fixture.page.reload();
    await live.byTestId('start-call').waitFor();
    expect(await live.byTestId('start-call').textContent()).toContain('Start call');

    await live.byTestId('language-toggle').click();
    await expect.poll(() => live.byTestId('start-call').textContent()).toContain('开始通话');
    expect(await live.field('callerPhone').locator('label').textContent()).toBe('来电号码');
    expect(fixture.problems).toEqual([]);
  });
});
