// The patent's scenarios as a presenter drives them through the demo panel, and each decline
// as the cashier reads it: the reason and what to do next.
import { expect, test } from './fixtures';
import {
  demoAction,
  phoneCard,
  ringUp,
  saleStatus,
  showCashier,
  syncTerminal,
  travelPast,
} from './steps';

test('S3: a swapped SIM locks the wallet; the cashier is told why and what to do', async ({
  terminal: page,
}) => {
  await demoAction(page, 'Swap SIM');
  await expect(page.getByRole('list', { name: 'Emulated phones' })).toBeVisible();
  await ringUp(page, '500');
  await demoAction(page, 'Tap on the reader');
  await showCashier(page);
  await expect(saleStatus(page)).toContainText('Declined');
  await expect(saleStatus(page)).toContainText('The wallet is locked (its SIM or phone changed).');
  await expect(saleStatus(page)).toContainText(
    'Next: The customer must have the wallet unlocked by the platform.',
  );

  // The guide walks the same scenario and its journal says what just happened.
  await page.keyboard.press('Alt+7');
  const guide = page.getByRole('region', { name: 'Scenario guide' });
  await guide.getByRole('combobox', { name: 'Scenario' }).selectOption('S3');
  await expect(guide).toContainText('SIM or device swapped: the wallet locks offline payment');
  await expect(guide.getByRole('heading', { name: 'Step 1 of 3' })).toBeVisible();
  await guide.getByRole('button', { name: 'Next' }).click();
  await expect(guide.getByRole('heading', { name: 'Step 2 of 3' })).toBeVisible();
  await expect(guide.getByRole('listitem').filter({ hasText: /^Alice: new SIM/ })).toBeVisible();
  await expect(
    guide.getByRole('listitem').filter({ hasText: 'Declined: The wallet is locked' }),
  ).toBeVisible();
});

test('S4: a wallet locked past T wipes itself', async ({ terminal: page }) => {
  await demoAction(page, 'Swap SIM');
  await expect(phoneCard(page)).toContainText('locked (SIM or device changed)');
  await travelPast(page, 'T');
  await expect(phoneCard(page)).toContainText('wiped');
});

test('S8: no signal past T2 is declined; signal back and an unlock let it pay', async ({
  terminal: page,
}) => {
  await demoAction(page, 'Signal off');
  await travelPast(page, 'T2');
  await syncTerminal(page);
  await ringUp(page, '450');
  await demoAction(page, 'Tap on the reader');
  await showCashier(page);
  await expect(saleStatus(page)).toContainText('Declined');
  await expect(saleStatus(page)).toContainText(
    /temporarily locked|has not been online for too long/,
  );

  await demoAction(page, 'Signal on');
  await demoAction(page, 'Ask to unlock');
  await expect(phoneCard(page)).toContainText('active');
  await showCashier(page);
  await page.keyboard.press('Enter');
  await expect(saleStatus(page)).toContainText('Tap to pay');
  await demoAction(page, 'Tap on the reader');
  await showCashier(page);
  await expect(saleStatus(page)).toContainText('Approved');
});

test('S5: a phone reported lost is declined as revoked once the terminal has synced', async ({
  terminal: page,
}) => {
  await demoAction(page, 'Report lost');
  await syncTerminal(page);
  await ringUp(page, '700');
  await demoAction(page, 'Tap on the reader');
  await showCashier(page);
  await expect(saleStatus(page)).toContainText('Declined');
  await expect(saleStatus(page)).toContainText('This wallet was reported lost or revoked');
  await expect(saleStatus(page)).toContainText('Next: Ask for another means of payment.');
});

test('S7: powered off past T1, the wallet is temp-locked until the platform unlocks it', async ({
  terminal: page,
}) => {
  await demoAction(page, 'Power off');
  await travelPast(page, 'T1');
  // Past T1 the terminal's hotlist is stale too: it refuses to charge until it has synced.
  await syncTerminal(page);
  await demoAction(page, 'Power on');
  await expect(phoneCard(page)).toContainText('temporarily locked');
  await ringUp(page, '300');
  await demoAction(page, 'Tap on the reader');
  await showCashier(page);
  await expect(saleStatus(page)).toContainText('Declined');
  await expect(saleStatus(page)).toContainText('temporarily locked');

  await demoAction(page, 'Ask to unlock');
  await expect(phoneCard(page)).toContainText('active');
  await showCashier(page);
  await page.keyboard.press('Enter'); // after a decline, Enter tries the same amount again
  await expect(saleStatus(page)).toContainText('Tap to pay');
  await demoAction(page, 'Tap on the reader');
  await showCashier(page);
  await expect(saleStatus(page)).toContainText('Approved');
  await expect(saleStatus(page)).toContainText('3.00');
});

test('S11: a torn tap asks for another tap, which completes the same payment once', async ({
  terminal: page,
  rpc,
}) => {
  const aliceBalance = async () =>
    (await rpc.call<{ phones: { label: string; balance: number }[] }>('demo.state')).phones.find(
      (phone) => phone.label === 'Alice',
    )!.balance;
  const before = await aliceBalance();
  await ringUp(page, '250');
  // "Tear the next tap" is a tap whose phone signs the payment, then leaves too early.
  await demoAction(page, 'Tear the next tap');
  await showCashier(page);
  await expect(saleStatus(page)).toContainText('Tap again');
  await expect(saleStatus(page)).toContainText('the same payment completes, never twice');

  await demoAction(page, 'Tap on the reader');
  await showCashier(page);
  await expect(saleStatus(page)).toContainText('Approved');
  await page.keyboard.press('Alt+7');
  await expect(phoneCard(page).getByText('Log (1 payment)')).toBeVisible();
  expect(await aliceBalance()).toBe(before - 250);
});

test('S6: re-activated on a new phone, the old phone is wiped and declined; the new one pays', async ({
  terminal: page,
}) => {
  await demoAction(page, 'Re-activate on a new phone');
  const newPhone = phoneCard(page, 'Alice \\(new phone\\)');
  await expect(newPhone).toContainText('active');
  // The old wallet erased itself; the new one's money is held until the old phone's
  // offline payments (none here) are settled: the operator's top-up lets it pay today.
  await expect(phoneCard(page)).toContainText('wiped');
  await ringUp(page, '600');
  await demoAction(page, 'Tap on the reader', 'Alice');
  await showCashier(page);
  await expect(saleStatus(page)).toContainText('Declined');
  await expect(saleStatus(page)).toContainText(/The wallet was wiped\.|reported lost or revoked/);

  await demoAction(page, 'Top up', 'Alice (new phone)');
  await showCashier(page);
  await page.keyboard.press('Enter');
  await expect(saleStatus(page)).toContainText('Tap to pay');
  await demoAction(page, 'Tap on the reader', 'Alice (new phone)');
  await showCashier(page);
  await expect(saleStatus(page)).toContainText('Approved');
  await expect(saleStatus(page)).toContainText('6.00');
});
