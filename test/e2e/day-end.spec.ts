// The merchant's day end: a payment voided in History (asked first), then the period closed
// and uploaded on Settlement, with the progress and the platform's per-record results.
import { expect, test } from './fixtures';
import { sell } from './steps';

test('a void in History, then close and upload with progress and results', async ({
  terminal: page,
  rpc,
}) => {
  await sell(page, rpc, '1200');
  await sell(page, rpc, '345');

  await page.keyboard.press('Alt+2');
  const table = page.getByRole('table');
  await expect(page.getByText('2 payments')).toBeVisible();
  const row = table.getByRole('row').filter({ hasText: '3.45' });
  await row.getByRole('button', { name: /^Details of payment/ }).click();
  const details = page.getByRole('dialog', { name: /^Payment / });
  await expect(details.getByRole('heading', { name: 'Verification steps' })).toBeVisible();
  await details.getByRole('button', { name: 'Void payment' }).click();
  const confirm = page.getByRole('dialog', { name: 'Void this payment?' });
  await expect(confirm).toContainText('The customer gets €3.45 back at settlement.');
  await confirm.getByRole('button', { name: 'Void', exact: true }).click();
  await expect(confirm).toBeHidden();
  await expect(row).toContainText('Voided');

  await page.keyboard.press('Alt+3');
  const openPeriod = page.getByRole('region', { name: 'Open period' });
  await expect(openPeriod).toContainText('2'); // payments in the period
  await expect(openPeriod).toContainText('1 · €3.45'); // its void
  await page.getByRole('button', { name: 'Close period' }).click();
  const upload = page.getByRole('button', { name: 'Upload (1 pending)' });
  await expect(upload).toBeEnabled();
  await upload.click();
  await expect(page.getByText('Upload progress: 1 of 1 batches')).toBeVisible();
  await expect(page.getByRole('progressbar')).toHaveAttribute('value', '1');
  await expect(page.getByText('Acknowledged by the platform.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Upload (0 pending)' })).toBeVisible();

  const batches = page.getByRole('table');
  await expect(batches.getByRole('row').nth(1)).toContainText('Settled');
  await batches.getByRole('button', { name: /^Results of batch/ }).click();
  const result = page.getByRole('region', { name: /^Results of batch/ });
  await expect(result).toContainText('Every entry was accepted.');
  const entries = result.getByRole('table', { name: 'Entries' });
  await expect(entries.getByRole('row')).toHaveCount(4); // header, two payments, one void
  await expect(entries).toContainText('Void');
});
