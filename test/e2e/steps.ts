// What a cashier and a demo presenter do on the page, as small steps the specs share. Every
// step waits on what the page shows, never on time.
import { expect, type Page } from '@playwright/test';
import type { Rpc } from './fixtures';

/** The cashier's live region: the sale's state, the decline's reason and what to do next. */
export const saleStatus = (page: Page) => page.locator('.sale-status').getByRole('status');

/** On the cashier's screen, types the amount's digits and presses Enter (no mouse). */
export async function ringUp(page: Page, digits: string): Promise<void> {
  await page.keyboard.press('Alt+1');
  await expect(page.getByRole('tab', { name: /Cashier/ })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.type(digits);
  await page.keyboard.press('Enter');
  await expect(saleStatus(page)).toContainText('Tap to pay');
}

/** Presses a phone's action in the demo panel (Alt+7) and waits until it has run. */
export async function demoAction(page: Page, action: string, phone = 'Alice'): Promise<void> {
  await page.keyboard.press('Alt+7');
  const button = page.getByRole('button', { name: `${action} (${phone})`, exact: true });
  await expect(button).toBeEnabled();
  await button.click();
  await expect(button).toBeEnabled(); // the panel disables its buttons while an action runs
}

/** Moves the demo clock just past one of the patent's timers (T, T1, T2). */
export async function travelPast(page: Page, timer: 'T' | 'T1' | 'T2'): Promise<void> {
  await page.keyboard.press('Alt+7');
  const button = page.getByRole('button', { name: new RegExp(`^Past ${timer} \\(`) });
  await button.click();
  await expect(button).toBeEnabled();
}

/** A phone's card in the demo panel. */
export const phoneCard = (page: Page, phone = 'Alice') =>
  page.getByRole('listitem').filter({
    has: page.getByRole('heading', { name: new RegExp(`^${phone}( on the reader)?$`) }),
  });

/** The cashier's screen after the customer's tap. */
export async function showCashier(page: Page): Promise<void> {
  await page.keyboard.press('Alt+1');
  await expect(page.getByRole('tab', { name: /Cashier/ })).toHaveAttribute('aria-selected', 'true');
}

/** Settings → Sync now, and waits for the sync to finish. */
export async function syncTerminal(page: Page): Promise<void> {
  await page.keyboard.press('Alt+6');
  const button = page.getByRole('button', { name: 'Sync now' });
  await button.click();
  await expect(button).toBeEnabled();
}

/** A whole approved sale: rung up by keyboard, paid by a demo phone's tap (over the RPC). */
export async function sell(page: Page, rpc: Rpc, digits: string, phone = 'Alice'): Promise<void> {
  await ringUp(page, digits);
  const { phones } = await rpc.call<{ phones: { phoneId: string; label: string }[] }>('demo.state');
  const phoneId = phones.find((p) => p.label === phone)?.phoneId;
  if (phoneId === undefined) throw new Error(`no demo phone ${phone}`);
  await rpc.call('demo.action', { phoneId, action: 'tap' });
  await expect(saleStatus(page)).toContainText('Approved');
  await page.keyboard.press('Enter'); // the next sale
  await expect(saleStatus(page)).toContainText('Ready for a sale');
}

/** The demo panel's "Platform online" switch: the embedded platform on or off the network. */
export async function setPlatformOnline(page: Page, online: boolean): Promise<void> {
  await page.keyboard.press('Alt+7');
  const toggle = page.getByRole('checkbox', { name: 'Platform online' });
  // A controlled switch: it changes when the demo answers, not at the click.
  if ((await toggle.isChecked()) !== online) await toggle.click();
  await expect(toggle).toBeChecked({ checked: online });
  await expect(
    page.getByText(online ? /reach the platform\.$/ : /^Platform offline:/),
  ).toBeVisible();
}

/** Moves the demo clock forward by whole minutes (the demo panel's own field). */
export async function travelMinutes(page: Page, minutes: number): Promise<void> {
  await page.keyboard.press('Alt+7');
  await page.getByRole('spinbutton', { name: 'Minutes' }).fill(String(minutes));
  const button = page.getByRole('button', { name: 'Move the clock' });
  await button.click();
  await expect(button).toBeEnabled();
}

/** Settlement (Alt+3): closes the period, uploads it, and opens the new batch's results. */
export async function closeAndUpload(page: Page) {
  await page.keyboard.press('Alt+3');
  await page.getByRole('button', { name: 'Close period' }).click();
  const upload = page.getByRole('button', { name: 'Upload (1 pending)' });
  await expect(upload).toBeEnabled();
  await upload.click();
  await expect(page.getByRole('button', { name: 'Upload (0 pending)' })).toBeVisible();
  const batches = page.getByRole('table');
  await expect(batches.getByRole('row').nth(1)).toContainText('Settled');
  await batches
    .getByRole('button', { name: /^Results of batch/ })
    .first()
    .click();
  return page.getByRole('region', { name: /^Results of batch/ });
}

/** A line of the scenario guide's journal ("What just happened"), on the demo panel. */
export const journalLine = (page: Page, text: string | RegExp) =>
  page
    .getByRole('region', { name: 'Scenario guide' })
    .getByRole('listitem')
    .filter({ hasText: text });
