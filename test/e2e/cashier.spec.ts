// The cashier's sale as a cashier makes it, keyboard only: the amount typed and corrected,
// Enter charges, the customer's phone taps, the screen ends approved with the offline receipt.
import { expect, test } from './fixtures';
import { saleStatus } from './steps';

test('a sale by keyboard only ends approved, with the offline receipt', async ({
  terminal: page,
  rpc,
}) => {
  await page.keyboard.type('12345');
  await page.keyboard.press('Backspace');
  await expect(page.getByTestId('amount')).toHaveText(/12\.34/);
  await page.keyboard.press('Enter');
  await expect(saleStatus(page)).toContainText('Tap to pay');
  await expect(saleStatus(page)).toContainText('12.34');

  // The customer's tap: the demo world's phone on the emulated reader (what "Tap" in the demo
  // panel does), so the cashier's page is never touched by the mouse.
  const { phones } = await rpc.call<{ phones: { phoneId: string; balance: number }[] }>(
    'demo.state',
  );
  await rpc.call('demo.action', { phoneId: phones[0]!.phoneId, action: 'tap' });

  await expect(saleStatus(page)).toContainText('Approved');
  await expect(saleStatus(page)).toContainText('12.34');
  await expect(page.getByText('OFFLINE PAYMENT')).toBeVisible();
  // Enter starts the next sale; a digit types its amount.
  await page.keyboard.press('Enter');
  await expect(saleStatus(page)).toContainText('Ready for a sale');
  await page.keyboard.type('5');
  await expect(page.getByTestId('amount')).toHaveText(/0\.05/);
});
