/**
 * The demo panel's "Platform online" switch (`demo.platform`): offline, the embedded
 * platform's address stops answering, so the terminal's own platform client fails to reach
 * it (sync and upload answer a network failure, nothing inside the terminal is told); back
 * online, the same client works again. The demo's view says which it is.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchTerminal, type LaunchedTerminal } from '../../main/demo/launch';
import { dispatchApiCall } from '../../main/terminal/api/dispatch';

let appDataDir: string;
let launched: LaunchedTerminal;
const logged: unknown[] = [];
const call = (method: string, params?: unknown) =>
  dispatchApiCall(launched.handlers, method, params, (error) => logged.push(error));

beforeAll(async () => {
  appDataDir = mkdtempSync(join(tmpdir(), 'tapsafe-platform-online-'));
  launched = await launchTerminal({
    appDataDir,
    version: '1.0.0-test',
    transport: 'websocket',
    pcsc: false,
    logError: (error) => logged.push(error),
  });
}, 60_000);

afterAll(async () => {
  await launched.close();
  rmSync(appDataDir, { recursive: true, force: true });
});

it('takes the platform off the terminal’s network and brings it back', async () => {
  expect(await call('demo.state')).toMatchObject({ ok: true, result: { platformOnline: true } });
  expect(await call('sync.now')).toMatchObject({ ok: true, result: { lastOutcome: 'ok' } });

  expect(await call('demo.platform', { online: false })).toMatchObject({
    ok: true,
    result: { platformOnline: false },
  });
  expect(await call('sync.now')).toMatchObject({
    ok: false,
    error: { code: 'refused', reason: 'network' },
  });
  const address = launched.current().services().enrollment.status();
  expect(address).toMatchObject({ state: 'enrolled' });
  const platformUrl = (address as { platformUrl: string }).platformUrl;
  await expect(fetch(new URL('/v1/health', platformUrl))).rejects.toThrow();

  expect(await call('demo.platform', { online: true })).toMatchObject({
    ok: true,
    result: { platformOnline: true },
  });
  expect(await call('sync.now')).toMatchObject({ ok: true, result: { lastOutcome: 'ok' } });
  expect(logged).toEqual([]);
});

it('refuses anything but a boolean', async () => {
  expect(await call('demo.platform', { online: 'no' })).toMatchObject({
    ok: false,
    error: { code: 'invalid_params', field: 'online' },
  });
  expect(await call('demo.platform', {})).toMatchObject({ ok: false, error: { field: 'online' } });
});
