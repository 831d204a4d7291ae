import type { Locator, Page } from 'playwright-core';

/** The sync with the central platform: the header badge and Settings → Central platform. */
export class PlatformPage {
  constructor(readonly page: Page) {}

  byTestId(testId: string): Locator {
    return this.page.getByTestId(testId);
  }

  badge(): Locator {
    return this.byTestId('sync-badge');
  }

  /** Waits until the badge shows `state` (and, when given, that many cases waiting). */
  async waitForBadge(state: string, queue?: number): Promise<void> {
    const queueSelector = queue === undefined ? '' : `[data-queue="${queue}"]`;
    await this.page.locator(`[data-testid="sync-badge"][data-state="${state}"]${queueSelector}`).waitFor({ timeout: 60_000 });
  }

  /** The badge's tooltip, shown by keyboard focus as by hover. */
  async badgeDetails(): Promise<string> {
    await this.badge().focus();
    const details = this.page.locator('[data-testid="sync-badge-details"]:visible');
    await details.waitFor();
    return (await details.innerText()).trim();
  }

  /** Opens Settings from the badge, which goes straight to the platform's section. */
  async openFromBadge(): Promise<void> {
    await this.badge().click();
    await this.section().waitFor();
  }

  section(): Locator {
    return this.byTestId('platform-settings');
  }

  async closeSettings(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.byTestId('settings-drawer').waitFor({ state: 'hidden' });
  }

  /** Fills the address and the token and presses Save & test; resolves with the check's alert once it shows. */
  async saveAndTest(platformUrl: string, token: string | null): Promise<Locator> {
    await this.section().locator('input').first().fill(platformUrl);
    if (token !== null) await this.section().locator('input[type="password"]').fill(token);
    await this.byTestId('platform-save').click();
    const check = this.byTestId('platform-check');
    await check.waitFor();
    return check;
  }
}
