// Issue #11, an offline day: the embedded platform goes off the network (the demo panel's
// switch cuts the terminal's real connection to it), sales are still approved offline, the
// upload fails and Settlement shows the red banner with the forward deadline; the clock
// moves past the period's end, the period is closed, the upload fails again with its
// reason; back online, one upload catches up every pending batch in order, with progress.
import { expect, test } from './fixtures';
import { sell, setPlatformOnline, travelMinutes } from './steps';

const DAY = 86_400;

test('an offline day, then catch-up', async ({ terminal: page, rpc }) => {
  await setPlatformOnline(page, false);
  await sell(page, rpc, '1200');
  await sell(page, rpc, '345');

  await page.keyboard.press('Alt+3');
  await page.getByRole('button', { name: 'Close period' }).click();
  await page.getByRole('button', { name: 'Upload (1 pending)' }).click();
  const banner = page.locator('.banner.error');
  await expect(banner).toContainText(
    '1 batch waiting to be uploaded: the terminal cannot reach the platform.',
  );
  await expect(banner).toContainText(/Upload within .+ \(by .+\); after that/);
  await expect(banner).toContainText('cannot reach the platform at http://127.0.0.1:');
  await expect(page.getByText(/Not sent after 3 attempts; the batch stays pending/)).toBeVisible();

  await sell(page, rpc, '999'); // still approved offline
  const { clock } = await rpc.call<{ clock: { now: number } }>('demo.state');
  await travelMinutes(page, Math.ceil((DAY - (clock.now % DAY)) / 60) + 1);

  await page.keyboard.press('Alt+3');
  await page.getByRole('button', { name: 'Close period' }).click();
  const upload = page.getByRole('button', { name: /^Upload \(\d+ pending\)$/ });
  await expect(upload).not.toHaveText('Upload (1 pending)');
  const pending = Number(/\((\d+) pending\)/.exec((await upload.textContent()) ?? '')?.[1]);
  expect(pending).toBeGreaterThanOrEqual(2); // the first batch, the rest of the day, today's
  await upload.click();
  await expect(banner).toContainText(`${pending} batches waiting to be uploaded`);
  await expect(page.getByText(/Not sent after 3 attempts/)).toBeVisible();
  await expect(upload).toHaveText(`Upload (${pending} pending)`);

  await setPlatformOnline(page, true);
  await page.keyboard.press('Alt+3');
  await upload.click();
  await expect(page.getByText(`Upload progress: ${pending} of ${pending} batches`)).toBeVisible();
  await expect(page.getByRole('progressbar')).toHaveAttribute('value', String(pending));
  await expect(page.getByText('Acknowledged by the platform.')).toBeVisible();
  await expect(upload).toHaveText('Upload (0 pending)');
  await expect(banner).toBeHidden();

  // Every period settled, oldest first in the platform's order: the table lists newest first.
  const rows = page.getByRole('table').getByRole('row');
  await expect(rows).toHaveCount(pending + 1);
  for (let i = 1; i <= pending; i++) await expect(rows.nth(i)).toContainText('Settled');
  await rows
    .nth(pending)
    .getByRole('button', { name: /^Results of batch/ })
    .click();
  const result = page.getByRole('region', { name: /^Results of batch/ });
  await expect(result).toContainText('Every entry was accepted.');
});
