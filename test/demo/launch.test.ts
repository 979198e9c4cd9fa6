/**
 * The launcher a host runs: demo mode on a fresh folder; enrolling from demo mode enrolls the
 * merchant's own terminal (its own folder, a real platform) and moves to it; `app.setMode`
 * goes back to demo and forward again; the next launch starts as the merchant's terminal.
 * The handler table and the event bus the host holds stay the same throughout.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchTerminal, merchantTerminalExists } from '../../main/demo/launch';
import { dispatchApiCall } from '../../main/terminal/api/dispatch';
import { startEmbeddedPlatform, type EmbeddedPlatform } from '../../platform/embedded';
import { operatorClient } from '../scenarios/support/rig';

let appDataDir: string;
let platform: EmbeddedPlatform;

beforeAll(async () => {
  appDataDir = mkdtempSync(join(tmpdir(), 'tapsafe-launch-'));
  platform = await startEmbeddedPlatform();
});

afterAll(async () => {
  await platform.close();
  rmSync(appDataDir, { recursive: true, force: true });
});

it('leaves demo mode by enrolling, returns to it, and starts as the merchant next time', async () => {
  const logged: unknown[] = [];
  const launched = await launchTerminal({
    appDataDir,
    version: '1.0.0-test',
    transport: 'websocket',
    pcsc: false,
    logError: (error) => logged.push(error),
  });
  const call = (method: string, params?: unknown) =>
    dispatchApiCall(launched.handlers, method, params, (error) => logged.push(error));
  const statuses: string[] = [];
  launched.events.subscribe((name, payload) => {
    if (name === 'app.status') statuses.push((payload as { message: string }).message);
  });
  try {
    expect(launched.mode()).toBe('demo');
    expect(await call('app.info')).toMatchObject({ ok: true, result: { mode: 'demo' } });
    expect(await call('app.setMode', { mode: 'merchant' })).toMatchObject({
      ok: false,
      error: { code: 'refused', reason: 'not_enrolled' },
    });

    // A refused enrollment leaves demo mode running and no merchant terminal behind.
    expect(
      await call('enrollment.enroll', { platformUrl: platform.url, code: 'NOT-A-REAL-CODE-42' }),
    ).toMatchObject({ ok: false, error: { code: 'refused' } });
    expect(launched.mode()).toBe('demo');
    expect(merchantTerminalExists(appDataDir)).toBe(false);
    expect(await call('demo.state')).toMatchObject({ ok: true });

    const operator = operatorClient(platform.url, await platform.createOperatorToken('launch'));
    const code = await operator<{ code: string }>('POST', '/v1/enrollment-codes', {
      merchantId: 'M-REAL',
      terminalId: 'T-REAL-1',
    });
    const enrolled = await call('enrollment.enroll', {
      platformUrl: platform.url,
      code: code.body.code,
    });
    expect(enrolled).toMatchObject({
      ok: true,
      result: { mode: 'enrolled', merchantId: 'M-REAL', terminalId: 'T-REAL-1' },
    });
    expect(launched.mode()).toBe('merchant');
    expect(await call('app.info')).toMatchObject({
      ok: true,
      result: { mode: 'enrolled', merchantId: 'M-REAL', terminalId: 'T-REAL-1' },
    });
    // The merchant's terminal has no demo: its demo methods refuse.
    expect(await call('demo.state')).toMatchObject({ ok: false, error: { reason: 'not_demo' } });
    expect(statuses).toContain('Now in merchant mode.');

    const back = await call('app.setMode', { mode: 'demo' });
    expect(back).toMatchObject({
      ok: true,
      result: { mode: 'demo', merchantId: 'DEMO-MERCHANT' },
    });
    expect(await call('demo.state')).toMatchObject({ ok: true });
  } finally {
    await launched.close();
  }
  expect(merchantTerminalExists(appDataDir)).toBe(true);

  const again = await launchTerminal({
    appDataDir,
    version: '1.0.0-test',
    transport: 'websocket',
    pcsc: false,
    logError: (error) => logged.push(error),
  });
  try {
    expect(again.mode()).toBe('merchant');
  } finally {
    await again.close();
  }
  expect(logged).toEqual([]);
}, 180_000);
