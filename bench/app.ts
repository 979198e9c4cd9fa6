/**
 * `npm run bench -- app`: the desktop app as a cashier meets it, in Debian's Chromium over
 * the browser host (test/e2e/host.ts starts `npm start`'s script; out/ must be built):
 * - start to first interactive screen: spawning the start script (scripts/run-start.js, what
 *   `npm start` runs) until it prints its URL, which it does before the demo world is up,
 *   then loading the URL until the cashier's amount field has the focus, which it gets once
 *   the terminal is ready (first launch builds the demo world; a later launch reuses it);
 * - a key press to the amount's display update on the cashier screen: the keydown event's
 *   timestamp to the DOM change (React's commit), and to the next animation frame after it;
 * - a demo phone's tap to "Approved" on screen: the RPC's demo.action sent until the page's
 *   sale status says Approved (seen by a MutationObserver in the page);
 * - the renderer bundle, gzip: the cashier's first load (index.html's script, module
 *   preloads and stylesheet) against the chunks loaded later.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { chromium, type Page } from 'playwright-core';
import { connectRpc, startHost } from '../test/e2e/host';
import { percentile, report, roundMs } from './report';

const projectRoot = resolve(import.meta.dirname, '..');
const rendererDir = join(projectRoot, 'out', 'renderer');
const KEY_PRESSES = 300;
/** Per demo phone: under the terminal's limit of 10 payments per wallet per hour. */
const TAPS_PER_PHONE = 8;

function reportTimes(metric: string, times: number[]): void {
  times.sort((a, b) => a - b);
  for (const p of [50, 99]) {
    report({
      bench: 'app',
      metric: `${metric}_p${p}`,
      value: roundMs(percentile(times, p)),
      unit: 'ms',
    });
  }
}

/**
 * Waits, checking at each animation frame, until `condition` holds in the page. Not
 * page.waitForFunction: its polling evaluates strings, which the page's CSP forbids.
 */
function untilInPage(page: Page, condition: string): Promise<unknown> {
  return page.evaluate(`new Promise((resolve) => {
    const check = () => (${condition}) ? resolve(true) : requestAnimationFrame(check);
    check();
  })`);
}

async function untilInteractive(page: Page, url: string): Promise<number> {
  const start = performance.now();
  await page.goto(url);
  await page.getByRole('textbox', { name: 'Amount' }).waitFor({ timeout: 120_000 });
  await untilInPage(page, `document.activeElement?.getAttribute('data-testid') === 'amount'`);
  return performance.now() - start;
}

/** Key presses on the cashier screen, timed inside the page from keydown to the display. */
async function keyLatencies(page: Page): Promise<{ dom: number[]; frame: number[] }> {
  await page.evaluate(`(() => {
    const amount = document.querySelector('[data-testid="amount"]');
    window.__keys = { dom: [], frame: [], down: 0 };
    document.addEventListener('keydown', (e) => { window.__keys.down = e.timeStamp; }, true);
    new MutationObserver(() => {
      const k = window.__keys;
      const down = k.down;
      k.dom.push(performance.now() - down);
      requestAnimationFrame(() => k.frame.push(performance.now() - down));
    }).observe(amount, { childList: true, subtree: true, characterData: true });
  })()`);
  // Digits then as many Backspaces: every press changes the display.
  const cycle = ['1', '2', '3', '4', 'Backspace', 'Backspace', 'Backspace', 'Backspace'];
  for (let i = 0; i < KEY_PRESSES; i++) await page.keyboard.press(cycle[i % cycle.length]!);
  await untilInPage(page, `window.__keys.frame.length >= ${KEY_PRESSES}`);
  return page.evaluate<{ dom: number[]; frame: number[] }>(
    `({ dom: window.__keys.dom, frame: window.__keys.frame })`,
  );
}

async function tapToApproved(page: Page, rpc: Awaited<ReturnType<typeof connectRpc>>['rpc']) {
  const { phones } = await rpc.call<{ phones: { phoneId: string }[] }>('demo.state');
  const times: number[] = [];
  for (let i = 0; i < TAPS_PER_PHONE * phones.length; i++) {
    await page.keyboard.type('100');
    await page.keyboard.press('Enter');
    await page.locator('.sale-status[data-state="awaiting_tap"]').waitFor();
    const seen = page.evaluate(`new Promise((resolve) => {
      const status = document.querySelector('.sale-status');
      const done = () => status.dataset.state === 'approved' || status.dataset.state === 'declined';
      new MutationObserver((_, observer) => {
        if (done()) { observer.disconnect(); resolve(status.dataset.state); }
      }).observe(status, { attributes: true, childList: true, subtree: true });
    })`);
    const start = performance.now();
    await rpc.call('demo.action', { phoneId: phones[i % phones.length]!.phoneId, action: 'tap' });
    const state = await seen;
    times.push(performance.now() - start);
    if (state !== 'approved') throw new Error(`tap ${i + 1} ended ${String(state)}`);
    await page.keyboard.press('Enter'); // the next sale
    await page.locator('.sale-status[data-state="idle"]').waitFor();
  }
  return times;
}

function bundleSizes(): void {
  const html = readFileSync(join(rendererDir, 'index.html'), 'utf8');
  const firstLoad = new Set(
    [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!),
  );
  const gzipKb = (file: string) => gzipSync(readFileSync(join(rendererDir, file))).length / 1024;
  const assets = readdirSync(join(rendererDir, 'assets')).map((name) => `assets/${name}`);
  const sum = (files: string[]) => Math.round(files.reduce((s, f) => s + gzipKb(f), 0) * 10) / 10;
  const lazy = assets.filter((file) => file.endsWith('.js') && !firstLoad.has(file));
  report({
    bench: 'app',
    metric: 'bundle_first_load_gzip',
    value: sum([...firstLoad]),
    unit: 'KiB',
  });
  report({ bench: 'app', metric: 'bundle_lazy_chunks_gzip', value: sum(lazy), unit: 'KiB' });
  const largest = lazy.sort((a, b) => gzipKb(b) - gzipKb(a))[0];
  if (largest !== undefined) {
    report({
      bench: 'app',
      metric: `bundle_largest_lazy_gzip(${largest.replace(/^assets\/|-[\w-]+\.js$/g, '')})`,
      value: Math.round(gzipKb(largest) * 10) / 10,
      unit: 'KiB',
    });
  }
}

export async function run(): Promise<void> {
  bundleSizes();
  const dataDir = mkdtempSync(join(tmpdir(), 'tapsafe-bench-app-'));
  const browser = await chromium.launch({
    executablePath: process.env['TAPSAFE_CHROMIUM'] ?? '/usr/bin/chromium',
  });
  try {
    let start = performance.now();
    const first = await startHost(dataDir);
    report({
      bench: 'app',
      metric: 'first_launch_to_url',
      value: Math.round(performance.now() - start),
      unit: 'ms',
    });
    // The URL comes before the demo world is built: wait until it is (connectRpc does).
    (await connectRpc(first.host)).close();
    report({
      bench: 'app',
      metric: 'first_launch_to_ready',
      value: Math.round(performance.now() - start),
      unit: 'ms',
    });
    await first.stop();

    start = performance.now();
    const second = await startHost(dataDir);
    const host = second.host;
    const toUrl = performance.now() - start;
    const page = await browser.newPage();
    const toScreen = await untilInteractive(page, host.url);
    report({ bench: 'app', metric: 'launch_to_url', value: Math.round(toUrl), unit: 'ms' });
    report({ bench: 'app', metric: 'url_to_interactive', value: Math.round(toScreen), unit: 'ms' });
    report({
      bench: 'app',
      metric: 'launch_to_interactive',
      value: Math.round(toUrl + toScreen),
      unit: 'ms',
    });
    try {
      const keys = await keyLatencies(page);
      reportTimes('key_to_dom', keys.dom);
      reportTimes('key_to_next_frame', keys.frame);
      await page.keyboard.press('Escape');
      const connection = await connectRpc(host);
      reportTimes('demo_tap_to_approved', await tapToApproved(page, connection.rpc));
      connection.close();
    } finally {
      await second.stop();
    }
  } finally {
    await browser.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
