// The e2e tests' fixtures: `host` starts `npm start`'s script as a user would (browser host,
// demo mode) with a data folder, port and Electron lookup of the test's own, and stops it
// after the test; `terminal` is a page opened on its URL, waiting until the cashier's screen
// is there; `rpc` is a WebSocket client of the same host, for what the demo audience's other
// tools (not this page) would do.
import { test as base, expect, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectRpc, startHost, type Host, type Rpc } from './host';

/** Waits until the page shows the cashier's screen connected to its terminal. */
export async function openTerminal(page: Page, host: Host): Promise<void> {
  await page.goto(host.url);
  await expect(page.getByRole('tab', { name: /Cashier|收银/ })).toBeVisible();
  // The page is served before the demo world is up ("Starting the demo…"); a first start
  // builds that world, which takes a while on a loaded machine.
  await expect(page.getByRole('textbox', { name: /Amount|金额/ })).toBeVisible({
    timeout: 120_000,
  });
  await expect(page.getByRole('textbox', { name: /Amount|金额/ })).toBeFocused();
}

export const test = base.extend<{ host: Host; terminal: Page; rpc: Rpc }>({
  // Playwright reads a fixture's dependencies from its first parameter's pattern: none here.
  // eslint-disable-next-line no-empty-pattern
  host: async ({}, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tapsafe-e2e-'));
    const started = await startHost(dataDir);
    try {
      await use(started.host);
    } finally {
      await started.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
  terminal: async ({ page, host }, use) => {
    await openTerminal(page, host);
    await use(page);
  },
  rpc: async ({ host }, use) => {
    const connection = await connectRpc(host);
    await use(connection.rpc);
    connection.close();
  },
});

export { expect, type Host, type Rpc };
