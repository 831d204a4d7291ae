import { describe, expect, it } from 'vitest';
import type { Case, DraftFieldName, Hotspot, ReferenceSnapshot } from '../../src-main/contract';
import { DraftReviewPage } from './pages/draft-review-page';
import { LiveCallPage } from './pages/live-call-page';
import { valueOf } from './support/api';
import { saveScreenshot } from './support/browser';
import { firstLeafPath } from './support/category-tree';
import { useConsoleFixture } from './support/console-fixture';
import { readSampleCall } from './support/sample-calls';

describe('drafted work order', () => {
  const fixture = useConsoleFixture();
  const gasLeak = readSampleCall('gas-leak');
  let live: LiveCallPage;
  let review: DraftReviewPage;
  let reference: ReferenceSnapshot;
  let confirmed: Case;

  async function caseByCode(code: string): Promise<Case> {
    const found = await valueOf<{ items: { id: string }[] }>(fixture.server, 'cases.search', { query: code });
    return (await valueOf<{ case: Case }>(fixture.server, 'cases.get', { caseId: found.items[0]!.id })).case;
  }

  it('proposes fields from the call and holds Confirm until each is reviewed', async () => {
    live = new LiveCallPage(fixture.page);
    review = new DraftReviewPage(fixture.page);
    reference = await valueOf<ReferenceSnapshot>(fixture.server, 'reference.get', {});
    await live.open(fixture.server);

    // Playing a sample with no call starts one on the sample's line.
    await live.playScript(gasLeak.id, 50);
    await expect.poll(() => live.segments().count(), { timeout: 30_000 }).toBe(gasLeak.utterances.length);
    await expect.poll(() => live.playbackProgress().getAttribute('data-state')).toBe('finished');
    // A draft follows each utterance; wait for the one that has heard the whole call.
    await expect.poll(() => review.draftSegmentCount(), { timeout: 30_000 }).toBe(gasLeak.utterances.length);

    expect(await review.state('urgency')).toBe('proposed');
    expect(await live.field('urgency').locator('.ant-radio-button-wrapper-checked').textContent()).toContain('极急');
    expect(await review.state('address')).toBe('proposed');
    expect(await live.input('address.district').inputValue()).toBe('东城区');
    expect(await review.state('callerPhone')).toBe('proposed');
    expect(await review.frame('callerPhone').getAttribute('data-source')).toBe('line');
    expect(await live.input('callerPhone').inputValue()).toBe(gasLeak.callerLine);
    expect(await review.tag('urgency').textContent()).toMatch(/^建议 \d{1,3}%$/);

    const pending = await review.pendingFields();
    expect(pending).toEqual(expect.arrayContaining<DraftFieldName>(['callerPhone', 'address', 'urgency']));
    expect(await review.pendingCount().textContent()).toBe(`${pending.length} 项建议待确认`);
    expect(await live.byTestId('confirm-case').isDisabled()).toBe(true);
    // Ctrl+Enter is held back as well, and takes the operator to the first field to review.
    await fixture.page.keyboard.press('Control+Enter');
    await expect.poll(() => review.hasFocus(pending[0]!)).toBe(true);
    expect(await live.byTestId('case-unsaved').isVisible()).toBe(true);
    await saveScreenshot(fixture.page, '30-drafting-proposals');
  });

  it('marks the words a proposal rests on when its field is pointed at or focused', async () => {
    // The spans come from the draft the page received: nothing here knows where 煤气味 is.
    const evidence = await review.evidence('urgency');
    expect(evidence.length).toBeGreaterThan(0);
    const firstLine = evidence[0]!.segmentId;
    // Start from the far end of the transcript, so that bringing the evidence into view is seen.
    await live.byTestId('transcript-scroll').evaluate((scroller) => {
      scroller.scrollTop = scroller.scrollHeight;
    });

    await review.frame('urgency').hover();
    for (const span of evidence) {
      const words = (await review.segmentText(span.segmentId)).slice(span.start, span.end);
      await expect.poll(() => review.marksIn(span.segmentId)).toEqual(expect.arrayContaining([expect.stringContaining(words)]));
    }
    expect(await review.segmentInView(firstLine)).toBe(true);
    await saveScreenshot(fixture.page, '31-drafting-evidence');

    // Pointer gone and focus elsewhere: nothing is marked.
    await live.byTestId('app-header').hover();
    await live.input('duplicateOfCode').focus();
    await expect.poll(() => review.allMarks().count()).toBe(0);
    // The glance back is over: the transcript is at its newest line again, following the call.
    const distanceFromEnd = () =>
      live.byTestId('transcript-scroll').evaluate((scroller) => scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight);
    await expect.poll(distanceFromEnd).toBeLessThanOrEqual(40);
    // The keyboard shows the same words as the pointer.
    await live.field('urgency').locator('input[type="radio"]:checked').focus();
    await expect.poll(() => review.marksIn(firstLine)).not.toEqual([]);
  });

  it('keeps what the operator typed when a later proposal differs, and offers that proposal beside it', async () => {
    const typedDetail = '十五号楼三单元301室';
    await live.fill('address.detail', typedDetail);
    expect(await review.state('address')).toBe('edited');

    // The caller corrects the building: the next draft proposes another address.
    const heard = await review.draftSegmentCount();
    await live.typeLine('caller', '不对，应该是十六号楼，三单元。');
    await expect.poll(() => review.draftSegmentCount(), { timeout: 30_000 }).toBe(heard + 1);
    expect(await live.input('address.detail').inputValue()).toBe(typedDetail);
    expect(await review.state('address')).toBe('edited');
    await review.newer('address').waitFor();
    await review.frame('address').scrollIntoViewIfNeeded();
    await saveScreenshot(fixture.page, '32-drafting-newer-proposal');

    // The operator agrees with the caller's correction: Alt+Enter in the field takes it.
    await live.input('address.detail').focus();
    await fixture.page.keyboard.press('Alt+Enter');
    await expect.poll(() => review.state('address')).toBe('confirmed');
    expect(await review.newer('address').count()).toBe(0);
    // The building as the caller corrected it, written in digits.
    expect(await live.input('address.detail').inputValue()).toContain('16');
  });

  it('accepts each remaining proposal with Enter or Tab, then confirms the case', async () => {
    let pending = await review.pendingFields();
    expect(pending.length).toBeGreaterThan(0);
    let key: 'Enter' | 'Tab' = 'Enter';
    while (pending.length > 0) {
      const field = pending[0]!;
      // The count beside Confirm leads to the first field still to review.
      await review.pendingCount().click();
      await expect.poll(() => review.hasFocus(field), { message: field }).toBe(true);
      await fixture.page.keyboard.press(key);
      await expect.poll(() => review.state(field), { message: field }).toBe('confirmed');
      key = key === 'Enter' ? 'Tab' : 'Enter';
      pending = await review.pendingFields();
    }
    expect(await review.pendingCount().count()).toBe(0);
    expect(await live.byTestId('confirm-case').isDisabled()).toBe(false);

    // What the draft did not propose, the operator fills in as always (a saved draft says what is empty).
    const draft = await caseByCode(await live.saveDraft());
    if (!draft.summary) await live.fill('summary', '和平里七区15号楼三层楼道燃气味大，疑似泄漏，301室无人应门');
    if (!draft.appealType) await live.chooseAppealType('求助');
    if (!draft.category) await live.chooseCategory(firstLeafPath(reference.categories));
    if (!draft.department) await live.chooseDepartment(reference.departments[0]!.name);
    await saveScreenshot(fixture.page, '33-drafting-reviewed');

    await live.confirm();
    await expect
      .poll(async () => ({
        state: await live.caseState().textContent().catch(() => null),
        errors: await live.page.locator('.ant-form-item-explain-error').allTextContents(),
      }))
      .toEqual({ state: '已确认', errors: [] });
    confirmed = await caseByCode((await live.caseCode().textContent()) ?? '');
    expect(confirmed.state).toBe('confirmed');
    expect(confirmed.urgency).toBe('极急');
    expect(confirmed.address.district).toBe('东城区');
    expect(confirmed.callerPhone).toBe(gasLeak.callerLine);
    await live.endCall();
  });

  it('reports in Settings how the proposals were taken, beside the category model register', async () => {
    await fixture.page.keyboard.press('Control+,');
    const settings = live.byTestId('category-model-settings');
    await settings.waitFor();
    await settings.getByTestId('suggestion-report').waitFor();
    const urgencyRow = settings.locator('[data-testid="suggestion-report-row"][data-field="urgency"]');
    await expect.poll(() => urgencyRow.count()).toBeGreaterThan(0);
    expect(await urgencyRow.first().textContent()).toContain('紧急程度');
    const registered = await valueOf<unknown[]>(fixture.server, 'categoryModels.list', {});
    expect(await settings.getByTestId('category-model').count()).toBe(registered.length);
    await settings.scrollIntoViewIfNeeded();
    await saveScreenshot(fixture.page, '34-settings-category-model');
    await fixture.page.keyboard.press('Escape');
    await live.byTestId('settings-drawer').waitFor({ state: 'hidden' });
  });

  it('recognises a repeat call from the same number and links it only when the operator says so', async () => {
    await live.startCall(gasLeak.callerLine ?? undefined);
    await live.typeLine('caller', '我是和平里七区十五号楼的，楼道里又有煤气味了。');
    await live.byTestId('repeat-cases').waitFor({ timeout: 30_000 });
    const earlier = live.page.locator(`[data-testid="repeat-case"][data-code="${confirmed.code}"]`);
    await earlier.waitFor();
    expect(await earlier.getByTestId('repeat-reason').allTextContents()).toContain('同一来电号码');
    // Nothing is linked until the operator decides.
    expect(await live.input('duplicateOfCode').inputValue()).toBe('');
    await live.byTestId('repeat-cases').scrollIntoViewIfNeeded();
    await saveScreenshot(fixture.page, '35-drafting-repeat');
    await earlier.getByTestId('repeat-link').click();
    expect(await live.input('duplicateOfCode').inputValue()).toBe(confirmed.code);
    await earlier.getByTestId('repeat-linked').waitFor();
    await live.endCall();
  });

  it('announces a hotspot without taking the focus, and lists it from the header by keyboard', async () => {
    // Two more cases on the same place and matter, confirmed within the week, make three.
    const callerLineInput = live.byTestId('caller-line-input');
    await callerLineInput.focus();
    for (const phone of ['13800001111', '13800002222']) {
      await valueOf<Case>(fixture.server, 'cases.confirm', {
        fields: {
          callerPhone: phone,
          appealType: '求助',
          category: confirmed.category,
          urgency: confirmed.urgency,
          department: confirmed.department,
          summary: '和平里七区楼道燃气味大',
          address: confirmed.address,
        },
      });
    }
    const notice = live.page.getByTestId('hotspot-notification');
    await notice.first().waitFor({ timeout: 30_000 });
    expect(await notice.first().textContent()).toMatch(/热点：.+ 7 天内 \d+ 件/);
    // Whatever the operator was typing in keeps the focus.
    expect(await callerLineInput.evaluate((input) => input === input.ownerDocument.activeElement)).toBe(true);
    await saveScreenshot(fixture.page, '36-hotspot-announced');
    await notice.first().locator('.ant-notification-notice-close').click();
    await notice.first().waitFor({ state: 'detached' });

    const hotspots = await valueOf<Hotspot[]>(fixture.server, 'hotspots.list', {});
    expect(hotspots.length).toBeGreaterThan(0);
    const indicator = live.byTestId('hotspot-indicator');
    await expect.poll(() => indicator.getAttribute('data-count')).toBe(String(hotspots.length));
    await indicator.focus();
    await fixture.page.keyboard.press('Enter');
    const drawer = live.byTestId('hotspot-drawer');
    await drawer.getByTestId('hotspot-list').waitFor();
    expect(await drawer.getByTestId('hotspot-item').count()).toBe(hotspots.length);
    expect(await drawer.getByTestId('hotspot-case').allTextContents()).toContain(confirmed.code);
    await saveScreenshot(fixture.page, '37-hotspots');
    await fixture.page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
    expect(fixture.problems).toEqual([]);
  });
});
