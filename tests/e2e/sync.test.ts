import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReferenceSnapshot } from '../../src-main/contract';
import { TestPlatform } from '../support/test-platform';
import { CasesPage } from './pages/cases-page';
import { LiveCallPage } from './pages/live-call-page';
import { PlatformPage } from './pages/platform-page';
import { valueOf } from './support/api';
import { saveScreenshot } from './support/browser';
import { firstLeafPath } from './support/category-tree';
import { useConsoleFixture } from './support/console-fixture';

describe('sync with the central platform', () => {
  const fixture = useConsoleFixture();
  let platform: TestPlatform;
  let token = '';
  let live: LiveCallPage;
  let sync: PlatformPage;
  let caseCode = '';
  let platformNumber = '';

  beforeAll(async () => {
    platform = await TestPlatform.start();
    // The e2e console's station code is HC01 (the default).
    token = await platform.addStation('HC01');
  }, 90_000);
  afterAll(async () => {
    await platform?.close();
  });

  it('configures the platform in Settings and says plainly whether it works', async () => {
    live = new LiveCallPage(fixture.page);
    sync = new PlatformPage(fixture.page);
    await live.open(fixture.server);
    await sync.waitForBadge('not-configured');
    expect(await sync.badge().textContent()).toContain('未连接中心平台');

    await sync.openFromBadge();
    // A wrong token: the settings are kept, and the operator is told what to fix, in Chinese.
    const refused = await sync.saveAndTest(`${platform.url}/`, `hcp_${'x'.repeat(43)}`);
    expect(await refused.getAttribute('data-ok')).toBe('false');
    expect(await refused.getAttribute('data-code')).toBe('UNAUTHORIZED');
    expect(await refused.textContent()).toContain('工位令牌不正确');
    await saveScreenshot(fixture.page, '40-platform-settings-refused');

    const accepted = await sync.saveAndTest(platform.url, token);
    expect(await accepted.getAttribute('data-ok')).toBe('true');
    expect(await accepted.textContent()).toContain('连接成功');
    // The token never comes back to the page: only its last four characters.
    expect(await sync.section().locator('input[type="password"]').inputValue()).toBe('');
    expect(await sync.section().locator('input[type="password"]').getAttribute('placeholder')).toContain(token.slice(-4));
    expect(await fixture.page.content()).not.toContain(token);
    await saveScreenshot(fixture.page, '41-platform-settings-connected');
    await sync.closeSettings();
    await sync.waitForBadge('idle', 0);
    expect(await sync.badge().textContent()).toMatch(/已同步 · 最后同步 \d{2}:\d{2}/);
  });

  it('keeps a confirmed case waiting while the platform is down, and sends it with its platform number when it is back', async () => {
    const reference = await valueOf<ReferenceSnapshot>(fixture.server, 'reference.get', {});
    await live.startCall();
    await live.fill('callerPhone', '13912345678');
    await live.chooseAppealType('咨询');
    await live.chooseCategory(firstLeafPath(reference.categories));
    await live.chooseDepartment(reference.departments[0]!.name);
    await live.chooseUrgency('常规');
    await live.fill('summary', '咨询小区加装电梯的补贴政策和申请流程');

    await platform.stop();
    try {
      await live.confirm();
      await expect.poll(() => live.caseState().textContent()).toBe('已确认');
      caseCode = (await live.caseCode().textContent()) ?? '';
      const caseSync = fixture.page.locator('[data-testid="case-sync-state"]');
      await caseSync.waitFor();
      expect(await caseSync.getAttribute('data-state')).toBe('waiting');
      expect(await caseSync.textContent()).toContain('等待发送');
      await sync.waitForBadge('offline', 1);
      expect(await sync.badge().textContent()).toContain('待发 1');
      const details = await sync.badgeDetails();
      expect(details).toContain('连不上中心平台');
      expect(details).toContain('不会丢失');
      await saveScreenshot(fixture.page, '42-sync-waiting-offline');
    } finally {
      await platform.restart();
    }

    // Back: the loop retries by itself (with backoff) and the case goes, with the platform's number.
    const sent = fixture.page.locator('[data-testid="case-sync-state"][data-state="sent"]');
    await sent.waitFor({ timeout: 60_000 });
    platformNumber = (await sent.getAttribute('data-platform-number')) ?? '';
    expect(platformNumber).toMatch(/^P\d{8}-\d{7}$/);
    expect(await sent.textContent()).toContain(`已发送${platformNumber}`);
    await sync.waitForBadge('idle', 0);
    expect(await sync.badge().textContent()).toMatch(/已同步 · 最后同步 \d{2}:\d{2}/);
    expect(await platform.cases('HC01')).toEqual([expect.objectContaining({ code: caseCode, platform_number: platformNumber })]);
    await fixture.page.mouse.move(0, 0);
    await saveScreenshot(fixture.page, '43-sync-sent');
    await live.endCall();
  });

  it('shows the platform number and what the platform did with the case in the case list and drawer', async () => {
    const [received] = await platform.cases('HC01');
    await platform.setStatus(received!.case_id, { status: 'dispatched', department: '朝阳区住房和城乡建设委员会' });
    await platform.setStatus(received!.case_id, { status: 'handled', reply: '已电话告知补贴标准和申请材料。' });

    const cases = new CasesPage(fixture.page);
    await cases.show();
    await cases.search(caseCode);
    const rowSync = cases.row(caseCode).getByTestId('case-row-sync');
    await rowSync.waitFor();
    expect(await rowSync.getAttribute('data-platform-number')).toBe(platformNumber);

    const detail = await cases.openCase(caseCode);
    // The change feed is read every 15 s: the drawer follows it as it comes.
    await detail.locator('[data-testid="detail-platform-status"][data-status="handled"]').waitFor({ timeout: 60_000 });
    expect(await detail.getByTestId('detail-sync-state').getAttribute('data-state')).toBe('sent');
    expect(await detail.getByTestId('detail-platform-department').textContent()).toBe('朝阳区住房和城乡建设委员会');
    expect(await detail.getByTestId('detail-platform-reply').textContent()).toBe('已电话告知补贴标准和申请材料。');
    expect(await detail.getByTestId('case-sync-details').textContent()).toContain('已办结');
    await saveScreenshot(fixture.page, '44-case-drawer-platform-status');
    await cases.closeDrawer();
    await expect.poll(() => cases.row(caseCode).getByTestId('case-row-sync-platform-status').getAttribute('data-status')).toBe('handled');
    await saveScreenshot(fixture.page, '45-cases-list-sync');

    // The same in English.
    await fixture.page.getByTestId('language-toggle').click();
    await sync.openFromBadge();
    expect(await sync.section().textContent()).toContain('Central platform');
    await saveScreenshot(fixture.page, '46-platform-settings-english');
    await sync.closeSettings();
    await fixture.page.getByTestId('language-toggle').click();
    expect(fixture.problems).toEqual([]);
  });
});
