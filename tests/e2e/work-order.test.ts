import { describe, expect, it } from 'vitest';
import type { ReferenceSnapshot } from '../../src-main/contract';
import { CasesPage } from './pages/cases-page';
import { DraftReviewPage } from './pages/draft-review-page';
import { LiveCallPage } from './pages/live-call-page';
import { valueOf } from './support/api';
import { saveScreenshot } from './support/browser';
import { firstLeafPath } from './support/category-tree';
import { useConsoleFixture } from './support/console-fixture';


describe('work order', () => {
  const fixture = useConsoleFixture();
  let live: LiveCallPage;
  let cases: CasesPage;
  let reference: ReferenceSnapshot;
  let confirmedCode = '';
  const callerPhone = '13912345678';
  const summary = '望湖新苑七号楼二单元电梯停运三天，物业未修，高龄老人无法下楼';

  it('fills every part of the form and confirms it', async () => {
    reference = await valueOf<ReferenceSnapshot>(fixture.server, 'reference.get', {});
    live = new LiveCallPage(fixture.page);
    cases = new CasesPage(fixture.page);
    await live.open(fixture.server);

    await live.startCall(callerPhone);
    // The line's number goes into the form; the operator can still change it.
    expect(await live.input('callerPhone').inputValue()).toBe(callerPhone);
    // Like every value the console fills in, the line's number waits for the operator's check (Enter).
    const review = new DraftReviewPage(fixture.page);
    await live.input('callerPhone').press('Enter');
    expect(await review.state('callerPhone')).toBe('confirmed');

    await live.fill('contactPhone', '010-64701234');
    await live.fill('callerName', '王女士');
    await live.field('callerGender').getByText('女').click();

    const divisionCode = await live.pickAddress('望京');
    expect(divisionCode).toMatch(/^\d{6,12}$/);
    expect(await live.input('address.district').inputValue()).toBe('朝阳区');
    expect(await live.input('address.street').inputValue()).toBe('望京街道');
    expect(await live.byTestId('division-code').textContent()).toContain(divisionCode);
    await live.fill('address.community', '望湖社区');
    await live.fill('address.estate', '望湖新苑');
    await live.fill('address.detail', '7号楼2单元');

    await live.chooseAppealType('投诉');
    const category = firstLeafPath(reference.categories);
    await live.chooseCategory(category);
    // A department is suggested from the category...
    const suggested = reference.departments.find((department) => department.categories.includes(category[0]!));
    if (suggested) {
      await expect.poll(() => live.field('department').locator('.ant-select-content').textContent()).toContain(suggested.name);
    }
    // ...but what the operator picks is kept when the category changes afterwards.
    const picked = reference.departments.find((department) => department.name !== suggested?.name)!;
    await live.chooseDepartment(picked.name);
    const otherTop = reference.categories.find((node) => node.name !== category[0])!;
    await live.chooseCategory([otherTop.name]);
    await live.chooseCategory(category);
    expect(await live.field('department').locator('.ant-select-content').textContent()).toContain(picked.name);

    // What the caller says brings the console's proposals (a department among them); what the
    // operator has already chosen stays as chosen.
    await live.typeLine('caller', '我们楼的电梯停了三天了，物业一直不修。');
    await expect.poll(() => review.draftSegmentCount()).toBe(1);
    expect(await live.field('department').locator('.ant-select-content').textContent()).toContain(picked.name);
    expect(await live.input('callerName').inputValue()).toBe('王女士');

    await live.chooseUrgency('急办');
    expect(await live.byTestId('urgency-hint').textContent()).toMatch(/办理时限：\d+ 小时/);
    await live.fill('summary', summary);
    await live.byTestId('input-followUp.wanted').click();
    await live.field('followUp.method').getByText('短信').click();
    await live.fill('followUp.note', '工作日白天');
    await saveScreenshot(fixture.page, '04-work-order-filled');

    // Ctrl+S saves a draft and shows its code; Ctrl+Enter confirms the same case.
    await fixture.page.keyboard.press('Control+s');
    await live.caseState().waitFor();
    expect(await live.caseState().textContent()).toBe('草稿');
    const draftCode = (await live.caseCode().textContent()) ?? '';
    expect(draftCode).toMatch(/^HC01/);

    await fixture.page.keyboard.press('Control+Enter');
    await expect.poll(() => live.caseState().textContent()).toBe('已确认');
    confirmedCode = (await live.caseCode().textContent()) ?? '';
    expect(confirmedCode).toBe(draftCode);
    await live.byTestId('case-locked').waitFor();
    expect(await live.input('summary').isDisabled()).toBe(true);
    await saveScreenshot(fixture.page, '05-work-order-confirmed');
    await live.endCall();
  });

  it('finds the confirmed case by code, by phone and by text, and shows it whole', async () => {
    await cases.show();
    await cases.search(confirmedCode);
    await cases.row(confirmedCode).waitFor();

    await cases.search(callerPhone);
    await cases.row(confirmedCode).waitFor();
    // The list masks the middle of the number.
    expect(await cases.row(confirmedCode).getByTestId('case-row-phone').textContent()).toContain('139****5678');
    expect(await cases.row(confirmedCode).getByTestId('case-row-state').textContent()).toBe('已确认');

    await cases.search('电梯停运三天');
    await cases.row(confirmedCode).waitFor();

    await cases.search('没有这样的工单内容');
    await expect.poll(() => cases.rows().count()).toBe(0);

    await cases.search('');
    await cases.filterState('draft');
    await expect.poll(() => cases.rowCodes()).not.toContain(confirmedCode);
    await cases.filterState('confirmed');
    await expect.poll(() => cases.rowCodes()).toContain(confirmedCode);
    await cases.filterState('all');
    await saveScreenshot(fixture.page, '06-cases-list');

    const detail = await cases.openCase(confirmedCode);
    expect(await detail.getByTestId('detail-callerPhone').textContent()).toBe(callerPhone);
    expect(await detail.getByTestId('detail-summary').textContent()).toBe(summary);
    expect(await detail.getByTestId('case-transcript').getByTestId('segment-text').allTextContents()).toEqual([
      '我们楼的电梯停了三天了，物业一直不修。',
    ]);
    await saveScreenshot(fixture.page, '07-case-drawer');
    await cases.closeDrawer();
  });

  it('lists a new draft as soon as it is saved, without a manual refresh', async () => {
    await live.show();
    await live.startCall();
    // The confirmed work order of the previous call gives way to a fresh one.
    await live.byTestId('case-unsaved').waitFor();
    await live.fill('summary', '草稿：小区门口路灯不亮');
    const draftCode = await live.saveDraft();
    await cases.show();
    await cases.row(draftCode).waitFor();
    expect(await cases.row(draftCode).getByTestId('case-row-state').textContent()).toBe('草稿');
    await live.show();
    await live.endCall();
  });

  it('shows the field errors of a refused confirmation next to the fields, keeping what was typed', async () => {
    await live.startCall();
    await live.byTestId('case-unsaved').waitFor();
    await live.fill('callerPhone', '12345');
    await live.fill('callerName', '李先生');
    await live.fill('address.estate', '望湖新苑');
    await live.chooseAppealType('投诉');
    await live.confirm();

    await expect.poll(() => live.fieldError('callerPhone').textContent()).toBe('电话号码格式不对');
    for (const path of ['category', 'urgency', 'summary', 'department', 'address.district']) {
      await expect.poll(() => live.fieldError(path).textContent(), { message: path }).toBe('必填');
    }
    expect(await live.fieldError('callerName').count()).toBe(0);
    // Nothing typed is lost, and nothing was confirmed.
    expect(await live.input('callerPhone').inputValue()).toBe('12345');
    expect(await live.input('callerName').inputValue()).toBe('李先生');
    expect(await live.input('address.estate').inputValue()).toBe('望湖新苑');
    expect(await live.byTestId('case-unsaved').isVisible()).toBe(true);
    await saveScreenshot(fixture.page, '08-work-order-field-errors');

    // Editing a field clears its error; the others stay until they are fixed.
    await live.fill('callerPhone', '13912345678');
    await expect.poll(() => live.fieldError('callerPhone').count()).toBe(0);
    expect(await live.fieldError('summary').count()).toBe(1);

    await live.chooseCategory(firstLeafPath(reference.categories));
    await live.chooseUrgency('常规');
    await live.fill('summary', '小区门口积水');
    await live.fill('address.district', '朝阳区');
    await live.chooseDepartment(reference.departments[0]!.name);
    await live.confirm();
    await expect.poll(() => live.caseState().textContent()).toBe('已确认');
    expect(await live.field('callerPhone').locator('.ant-form-item-explain-error').count()).toBe(0);
    await live.endCall();
    expect(fixture.problems).toEqual([]);
  });
});
