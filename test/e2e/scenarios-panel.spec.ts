// The patent's scenarios the demo panel drives with actions of their own (S1 a phone added
// and activated, S9 an unlock with wrong details, S10 settlement confirmed to the phone, S12
// a cloned wallet spent at the demo's second terminal), as a presenter walks them: panel
// buttons, the cashier's screen, Settlement, and the guide's journal of what just happened.
import { expect, test } from './fixtures';
import {
  closeAndUpload,
  demoAction,
  journalLine,
  phoneCard,
  ringUp,
  saleStatus,
  showCashier,
  syncTerminal,
  travelPast,
} from './steps';

test('S1: "Add a phone" activates a new phone through the platform; it stays after a reload', async ({
  terminal: page,
}) => {
  await page.keyboard.press('Alt+7');
  const guide = page.getByRole('region', { name: 'Scenario guide' });
  await guide.getByRole('combobox', { name: 'Scenario' }).selectOption('S1');
  await expect(guide).toContainText('Type a name under "New user’s name" and press "Add a phone".');

  await page.getByRole('textbox', { name: 'New user’s name' }).fill('Ivy');
  await page.getByRole('button', { name: 'Add a phone' }).click();
  const ivy = phoneCard(page, 'Ivy');
  await expect(ivy).toContainText('active');
  await expect(ivy).toContainText('€200.00');
  await expect(ivy).toContainText(/IMEI\s*\d{15}/);
  await expect(
    journalLine(page, /^Ivy: activated by the platform \(IMEI \d{15}, IMSI/),
  ).toContainText('certificate issued, €200.00 loaded and sealed in the phone.');

  // The new phone pays like the others.
  await ringUp(page, '250');
  await demoAction(page, 'Tap on the reader', 'Ivy');
  await showCashier(page);
  await expect(saleStatus(page)).toContainText('Approved');

  await page.reload();
  // The page is ready for keys once the cashier's amount has the focus again.
  await expect(page.getByRole('textbox', { name: 'Amount' })).toBeFocused();
  await page.keyboard.press('Alt+7');
  await expect(phoneCard(page, 'Ivy')).toContainText('€197.50');
});

test('S9: unlocks with wrong details are refused, then rate-limited; past the window the right ones unlock', async ({
  terminal: page,
}) => {
  await demoAction(page, 'Power off');
  await travelPast(page, 'T1');
  await demoAction(page, 'Power on');
  await expect(phoneCard(page)).toContainText('temporarily locked');

  await demoAction(page, 'Unlock with wrong details');
  await expect(journalLine(page, 'Alice: unlock refused: details do not match.')).toHaveCount(1);
  for (let attempt = 2; attempt <= 5; attempt++) {
    await demoAction(page, 'Unlock with wrong details');
    await expect(journalLine(page, 'Alice: unlock refused: details do not match.')).toHaveCount(
      attempt,
    );
  }
  await demoAction(page, 'Unlock with wrong details');
  await expect(
    journalLine(page, /^Alice: unlock rate-limited, retry after \d+ s\.$/),
  ).toBeVisible();
  await expect(phoneCard(page)).toContainText('temporarily locked');

  // The limit's window is 15 minutes: past it, the right details unlock the wallet.
  await page.getByRole('spinbutton', { name: 'Minutes' }).fill('16');
  await page.getByRole('button', { name: 'Move the clock' }).click();
  await expect(journalLine(page, 'The demo clock moved 960 s forward.')).toBeVisible();
  await demoAction(page, 'Ask to unlock');
  await expect(phoneCard(page)).toContainText('active');
});

test('S10: pay, close and upload; after a sync the phone shows the settled balance', async ({
  terminal: page,
}) => {
  await ringUp(page, '500');
  await demoAction(page, 'Tap on the reader');
  await showCashier(page);
  await expect(saleStatus(page)).toContainText('Approved');

  const result = await closeAndUpload(page);
  await expect(result).toContainText('Every entry was accepted.');
  await expect(result).toContainText('Credited €5.00 of €5.00 expected.');

  await demoAction(page, 'Sync online');
  const card = phoneCard(page);
  await expect(card.getByRole('definition').filter({ hasText: '€195.00' })).toHaveCount(2);
  await expect(card).toContainText(/Balance at the platform\s*€195\.00/);
  await expect(
    journalLine(page, 'Alice: synced; the platform holds €195.00 for this wallet (active).'),
  ).toBeVisible();
});

test('S12: a clone spends at terminal 2; the original’s payment here is flagged and the wallet revoked', async ({
  terminal: page,
}) => {
  await demoAction(page, 'Clone: spend a copy at terminal 2');
  await expect(journalLine(page, /^Alice: wallet copied into a clone/)).toBeVisible();
  await expect(
    journalLine(page, 'Clone of Alice: paid €20.00 at DEMO-T2, approved offline.'),
  ).toBeVisible();
  await expect(journalLine(page, /^DEMO-T2 closed its period and uploaded it: 1 /)).toBeVisible();
  await expect(phoneCard(page)).toContainText('€200.00'); // the original knows nothing of it

  await ringUp(page, '1500');
  await demoAction(page, 'Tap on the reader');
  await showCashier(page);
  await expect(saleStatus(page)).toContainText('Approved');

  const result = await closeAndUpload(page);
  await expect(result).toContainText('1 entry was not accepted.');
  await expect(result.getByRole('table', { name: 'Discrepancies' })).toContainText('double_spend');

  await syncTerminal(page);
  await ringUp(page, '100');
  await demoAction(page, 'Tap on the reader');
  await showCashier(page);
  await expect(saleStatus(page)).toContainText('Declined');
  await expect(saleStatus(page)).toContainText('This wallet was reported lost or revoked');
});
