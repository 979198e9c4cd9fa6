// `npm run dev` in Chromium: the renderer's Vite dev server (the config electron-vite uses, with
// a port and cache folder of the test's own) under the dev policy that Electron's session also
// applies. The page runs with React Fast Refresh and hot reload, and the policy refuses
// nothing; the production policy on the same page refuses the preamble (why dev needs its own).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import { createServer, type ViteDevServer } from 'vite';
import { contentSecurityPolicy } from '../../main/terminal/content-security-policy';
import { rendererConfig } from '../../renderer.vite.config';

const test = base.extend<{ devServerUrl: string }>({
  // eslint-disable-next-line no-empty-pattern
  devServerUrl: async ({}, use) => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'tapsafe-vite-'));
    let server: ViteDevServer | undefined;
    try {
      server = await createServer({
        ...rendererConfig,
        configFile: false,
        cacheDir, // not node_modules/.vite, which is shared
        logLevel: 'error',
        server: { ...rendererConfig.server, host: '127.0.0.1', port: 0, strictPort: true },
      });
      await server.listen();
      const url = server.resolvedUrls?.local[0];
      if (url === undefined) throw new Error('the dev server has no local URL');
      await use(url);
    } finally {
      await server?.close();
      rmSync(cacheDir, { recursive: true, force: true });
    }
  },
});

/** Every message Chromium logs when the page's policy refuses something. */
function refusals(page: Page): string[] {
  const seen: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/.test(message.text())) seen.push(message.text());
  });
  return seen;
}

test('the dev server page runs under the dev policy with Fast Refresh and HMR', async ({
  page,
  devServerUrl,
}) => {
  const refused = refusals(page);
  const hmrConnected = page.waitForEvent('console', (m) => m.text() === '[vite] connected.');
  const response = await page.goto(devServerUrl);
  await hmrConnected;

  expect(response?.headers()['content-security-policy']).toContain("'sha256-");
  await expect(page.locator('#root')).not.toBeEmpty();
  // The preamble ran: it is what defines Fast Refresh's registration hook.
  expect(await page.evaluate('typeof window.$RefreshReg$')).toBe('function');
  // style.css arrived as one of the dev server's injected <style> elements, and applies.
  await expect(page.locator('body')).toHaveCSS('margin', '0px');
  expect(refused).toEqual([]);
});

test("the production policy would refuse the dev server's preamble", async ({
  page,
  devServerUrl,
}) => {
  const refused = refusals(page);
  await page.route(devServerUrl, async (route) => {
    const response = await route.fetch();
    const headers = { ...response.headers(), 'content-security-policy': contentSecurityPolicy };
    await route.fulfill({ response, headers });
  });
  await page.goto(devServerUrl);
  await expect.poll(() => refused.some((text) => /inline script/.test(text))).toBe(true);
});
