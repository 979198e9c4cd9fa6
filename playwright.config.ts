// Playwright Test over the browser host (`npm start` without Electron), in Debian's Chromium:
// Playwright's own browser download is not reachable from the build machines. Each test
// starts its own host with its own data folder (test/e2e/fixtures.ts).
import { defineConfig } from '@playwright/test';

export const chromiumPath = process.env['TAPSAFE_CHROMIUM'] ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '*.spec.ts',
  outputDir: 'test-results/playwright',
  // Two shared cores, and every test runs a whole terminal with its embedded platform.
  workers: 1,
  fullyParallel: false,
  forbidOnly: process.env['CI'] === 'true',
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath: chromiumPath },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
