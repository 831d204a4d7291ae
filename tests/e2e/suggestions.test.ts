import { describe, expect, it } from 'vitest';
import type { Case, ReferenceSnapshot } from '../../src-main/contract';
import { LiveCallPage } from './pages/live-call-page';
import { SuggestionsPane } from './pages/suggestions-pane';
import { valueOf } from './support/api';
import { saveScreenshot } from './support/browser';
import { firstLeafPath } from './support/category-tree';
import { useConsoleFixture } from './support/console-fixture';
import { insertedBody, readArticle } from './support/knowledge-base';
import { readSampleCall } from './support/sample-calls';


/** The start of an article's body as it lands in the answer, long enough to be unmistakable. */
function bodyStart(id: string): string {
  return insertedBody(readArticle(id)).slice(0, 40);
}

describe('knowledge-base suggestions', () => {
  const fixture = useConsoleFixture();
  let live: LiveCallPage;
  let suggestions: SuggestionsPane;

  it('explains itself before a call and while nothing has been said', async () => {
    live = new LiveCallPage(fixture.page);
    suggestions = new SuggestionsPane(fixture.page);
    await live.open(fixture.server);
    expect(await suggestions.emptyState().getAttribute('data-state')).toBe('no-call');
    expect(await suggestions.queryInput().getAttribute('placeholder')).toBe('输入关键词搜索知识库和历史工单');

    await live.startCall();
    await fixture.page.locator('[data-testid="suggestions-empty"][data-state="waiting"]').waitFor();
    expect(await suggestions.emptyState().textContent()).toBe('通话内容出现后，这里会显示匹配的政策答复和相似工单');
    await live.endCall();
  });

  it('suggests the gas-leak answer during the gas-leak call and inserts it with Alt+Shift+number', async () => {
    const gas = readArticle('gas-leak-emergency');
    const script = readSampleCall('gas-leak');
    await live.startCall();
    await live.playScript('gas-leak', 50);

    // The operator keeps typing while suggestions arrive: nothing takes the focus away.
    const typing = live.byTestId('typing-input');
    await typing.click();
    await fixture.page.keyboard.type('楼道燃气味浓');
    await suggestions.liveArticle(gas.id).waitFor({ timeout: 30_000 });
    await expect.poll(() => live.playbackProgress().getAttribute('data-state'), { timeout: 30_000 }).toBe('finished');
    // Wait for the suggestions that take the whole call into account.
    await expect.poll(() => suggestions.segmentCount(), { timeout: 30_000 }).toBe(script.utterances.length);
    expect(await typing.evaluate((element) => element === element.ownerDocument.activeElement)).toBe(true);
    await fixture.page.keyboard.type('，三楼最重');
    expect(await typing.inputValue()).toBe('楼道燃气味浓，三楼最重');
    await typing.fill('');
    // Nor does any other pane move: the work order is still at its top.
    expect(await live.byTestId('case-form-pane').locator('.hc-form-body').evaluate((element) => element.scrollTop)).toBe(0);

    const item = suggestions.liveArticle(gas.id);
    expect(await item.getByTestId('suggestion-title').textContent()).toBe(gas.title);
    const highlighted = await suggestions.highlights(item);
    expect(highlighted.length).toBeGreaterThan(0);
    // The marks are a calm, static background, not an animation.
    const mark = item.getByTestId('hit').first();
    expect(await mark.evaluate((element) => element.ownerDocument.defaultView?.getComputedStyle(element).animationName)).toBe('none');
    const terms = await suggestions.terms();
    expect(terms.length).toBeGreaterThan(0);
    expect(await item.getByTestId('suggestion-sample').textContent()).toBe('示例');
    expect(await item.textContent()).toContain(`第${gas.version}版`);
    const rank = await suggestions.rankOf(gas.id);
    console.log(`gas-leak: terms ${terms.join(' ')}; articles ${(await suggestions.articleIds()).join(', ')}`);
    expect(rank).toBe(1);
    expect(await item.textContent()).toContain('Alt+Shift+1');
    await saveScreenshot(fixture.page, '20-suggestions-live');

    // Something the operator already wrote stays; the answer is appended after a blank line.
    await live.fill('answer', '请立即到室外安全处。');
    await fixture.page.keyboard.press(`Alt+Shift+${rank}`);
    await expect.poll(() => live.answerValue()).toContain(bodyStart(gas.id));
    const answer = await live.answerValue();
    expect(answer.startsWith('请立即到室外安全处。\n\n')).toBe(true);
    expect(answer).not.toContain('**');
    await live.citation(gas.id).waitFor();
    expect(await live.citation(gas.id).textContent()).toContain(gas.title);
    // The speaker shortcuts still do their job: Alt+Shift+1 is not Alt+1.
    expect(await live.byTestId('typing-input').getAttribute('data-speaker')).toBe('caller');

    // Pressing it again does not paste the same answer twice.
    await fixture.page.keyboard.press(`Alt+Shift+${rank}`);
    await expect.poll(() => live.answerValue()).toBe(answer);
    expect(await live.citationIds()).toEqual([gas.id]);
    await live.endCall();
  });

  it('suggests the elevator answer, opens it in full, and inserts from the drawer', async () => {
    const elevator = readArticle('elevator-out-of-service');
    const script = readSampleCall('elevator-out-of-service');
    await live.startCall();
    // The previous call's work order was kept as a draft; this one starts empty.
    await live.byTestId('case-unsaved').waitFor();
    expect(await live.answerValue()).toBe('');
    await live.playScript('elevator-out-of-service', 50);
    await suggestions.liveArticle(elevator.id).waitFor({ timeout: 30_000 });
    await expect.poll(() => suggestions.segmentCount(), { timeout: 30_000 }).toBe(script.utterances.length);
    const terms = await suggestions.terms();
    console.log(`elevator: terms ${terms.join(' ')}; articles ${(await suggestions.articleIds()).join(', ')}`);
    expect(await suggestions.rankOf(elevator.id)).toBe(1);
    const item = suggestions.liveArticle(elevator.id);
    expect(await item.getByTestId('suggestion-title').textContent()).toBe(elevator.title);
    expect((await suggestions.highlights(item)).length).toBeGreaterThan(0);

    // Enter on a focused item opens it, like a click.
    await item.focus();
    await fixture.page.keyboard.press('Enter');
    const detail = suggestions.drawerDetail(elevator.id);
    await detail.waitFor();
    const body = detail.getByTestId('article-body');
    expect(await body.textContent()).toContain(insertedBody(elevator).split('\n')[0]!.slice(0, 30));
    expect(await body.locator('p').count()).toBeGreaterThan(1);
    expect(await detail.textContent()).toContain('属地街道办事处');
    expect(await detail.textContent()).toContain('第1版');
    expect(await detail.textContent()).toContain('2024-01-01');
    await saveScreenshot(fixture.page, '21-article-drawer');

    await suggestions.insertAnswerButton().click();
    await suggestions.drawerDetail().waitFor({ state: 'detached' });
    await expect.poll(() => live.answerValue()).toBe(insertedBody(elevator));
    await live.citation(elevator.id).waitFor();

    // Citation only: the article is recorded and a reference line appended, the body not repeated.
    const safety = (await suggestions.articleIds()).find((id) => id !== elevator.id);
    expect(safety).toBeDefined();
    const other = readArticle(safety!);
    await suggestions.openArticle(other.id);
    await suggestions.insertCitationButton().click();
    await suggestions.drawerDetail().waitFor({ state: 'detached' });
    await expect
      .poll(() => live.answerValue())
      .toBe(`${insertedBody(elevator)}\n\n〔参见知识库：${other.title}（第${other.version}版）〕`);
    expect(await live.citationIds()).toEqual([elevator.id, other.id]);
    // (The test scrolls the work order to show the answer; the console itself never does.)
    await live.field('answer').evaluate((element) => element.scrollIntoView({ block: 'start' }));
    await saveScreenshot(fixture.page, '22-answer-inserted');

    // A citation tag can be removed; the answer text stays as it is.
    const answerBefore = await live.answerValue();
    await live.citation(other.id).locator('.ant-tag-close-icon').click();
    await expect.poll(() => live.citationIds()).toEqual([elevator.id]);
    expect(await live.answerValue()).toBe(answerBefore);

    // Once confirmed, the work order is locked: nothing is inserted any more.
    const reference = await valueOf<ReferenceSnapshot>(fixture.server, 'reference.get', {});
    await live.fill('callerPhone', script.callerLine ?? '13801012345');
    await live.chooseAppealType('求助');
    await live.chooseCategory(firstLeafPath(reference.categories));
    await live.chooseUrgency('急办');
    await live.fill('summary', '望湖新苑7号楼2单元电梯停运三天，物业称等配件，高龄老人无法下楼');
    await live.fill('address.district', '朝阳区');
    await live.chooseDepartment(reference.departments[0]!.name);
    await live.acceptAllProposals();
    await fixture.page.keyboard.press('Control+Enter');
    await expect
      .poll(async () => ({
        state: await live.caseState().textContent().catch(() => null),
        errors: await live.page.locator('.ant-form-item-explain-error').allTextContents(),
      }))
      .toEqual({ state: '已确认', errors: [] });
    const confirmedAnswer = await live.answerValue();
    // The answer and its citation are stored with the work order.
    const code = (await live.caseCode().textContent()) ?? '';
    const found = await valueOf<{ items: { id: string }[] }>(fixture.server, 'cases.search', { query: code });
    const stored = await valueOf<{ case: Case }>(fixture.server, 'cases.get', { caseId: found.items[0]!.id });
    expect(stored.case.answer).toBe(confirmedAnswer);
    expect(stored.case.citedArticles).toEqual([{ id: elevator.id, title: elevator.title, version: elevator.version }]);
    await fixture.page.keyboard.press('Alt+Shift+1');
    await fixture.page.locator('.ant-message').getByText('工单已确认，不能再插入答复。').waitFor();
    expect(await live.answerValue()).toBe(confirmedAnswer);
    await suggestions.openArticle(elevator.id);
    expect(await suggestions.insertAnswerButton().isDisabled()).toBe(true);
    expect(await suggestions.insertCitationButton().isDisabled()).toBe(true);
    await suggestions.closeDrawer();
    await live.endCall();
  });

  it('lists the confirmed case among similar cases of a later call, and ignores other calls', async () => {
    await live.startCall();
    const callId = await live.callId();
    // Another console's call talks about something else; its suggestions are not ours.
    const other = await valueOf<{ id: string }>(fixture.server, 'calls.start', { callerLine: null });
    await valueOf(fixture.server, 'transcript.addTyped', { callId: other.id, speaker: 'caller', text: '家里燃气泄漏了，煤气味很大。' });
    await live.typeLine('caller', '我们小区电梯又停了，老人下不了楼。');
    await expect.poll(() => suggestions.segmentCount()).toBe(1);
    expect(await suggestions.results().getAttribute('data-call-id')).toBe(callId);
    await suggestions.liveArticle('elevator-out-of-service').waitFor();
    expect(await suggestions.articleIds()).not.toContain('gas-leak-emergency');
    await expect.poll(() => suggestions.caseItems().count()).toBeGreaterThan(0);
    expect(await suggestions.caseItems().first().textContent()).toContain('电梯');
    await valueOf(fixture.server, 'calls.end', { callId: other.id });
  });

  it('searches with the query box and goes back to the live suggestions with Esc', async () => {
    await suggestions.search('公积金提取');
    const ids = await suggestions.articleIds();
    expect(ids.some((id) => id.startsWith('housing-fund-'))).toBe(true);
    expect(ids).toContain('housing-fund-purchase-withdrawal');
    const first = suggestions.article(ids[0]!);
    expect((await suggestions.highlights(first)).length).toBeGreaterThan(0);
    expect(await suggestions.byTestId('suggestions-search-label').textContent()).toContain('公积金提取');

    // The numbered keys follow what is shown: Alt+Shift+1 now inserts the first search result.
    const before = await live.answerValue();
    expect(before).toBe('');
    await fixture.page.keyboard.press('Alt+Shift+1');
    await expect.poll(() => live.answerValue()).toContain(bodyStart(ids[0]!));
    await live.citation(ids[0]!).waitFor();

    await suggestions.clearWithEscape();
    expect(await suggestions.queryInput().inputValue()).toBe('');
    await suggestions.liveArticle('elevator-out-of-service').waitFor();

    // The back button does the same.
    await suggestions.search('公积金');
    await suggestions.byTestId('suggestions-back').click();
    await expect.poll(() => suggestions.mode()).toBe('live');

    // Nothing found is said plainly.
    await suggestions.search('火星移民签证');
    expect(await suggestions.emptyState().getAttribute('data-state')).toBe('no-results');
    expect(await suggestions.emptyState().textContent()).toContain('没有找到');
    await suggestions.clearWithEscape();
  });

  it('never shows an expired article, even for its exact title', async () => {
    for (const id of ['social-insurance-deferral-2022', 'employment-expansion-subsidy-2023']) {
      const article = readArticle(id);
      expect(article.effectiveUntil).not.toBeNull();
      await suggestions.search(article.title);
      expect(await suggestions.article(id).count()).toBe(0);
      expect(await suggestions.articleIds()).not.toContain(id);
      const keyword = id.startsWith('social') ? '社保缓缴' : '一次性扩岗补助';
      await suggestions.search(keyword);
      expect(await suggestions.articleIds()).not.toContain(id);
    }
    await suggestions.clearWithEscape();
  });

  it('takes search syntax and a huge paste as plain words, without an error', async () => {
    const queries = [
      '"NEAR(',
      '*',
      '-',
      'OR',
      'NEAR(燃气 泄漏, 3)',
      '公积金 OR 提取 -社保 "未闭合 AND NOT *',
      '^燃气 : {title}',
      '电梯"',
      "'; DROP TABLE kb_articles; --",
    ];
    for (const query of queries) {
      await suggestions.search(query);
      expect(await fixture.page.getByTestId('error-notification').count(), query).toBe(0);
    }
    const huge = '燃气泄漏怎么办？'.repeat(1250);
    expect(huge.length).toBe(10_000);
    await suggestions.search(huge);
    expect(await fixture.page.getByTestId('error-notification').count()).toBe(0);

    // The app keeps working: a plain search finds its answer and the call still takes lines.
    await suggestions.search('燃气泄漏');
    expect(await suggestions.articleIds()).toContain('gas-leak-emergency');
    await suggestions.clearWithEscape();
    await live.typeLine('caller', '谢谢，我知道了。');
    await expect.poll(() => suggestions.segmentCount()).toBe(2);
    await live.endCall();
    expect(fixture.problems).toEqual([]);
  });
});
