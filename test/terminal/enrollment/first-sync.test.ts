/**
 * `enrollment.enroll` answers how the sync right after enrolling went: the terminal is
 * enrolled either way, and a failed first sync is named (code and message) instead of
 * being swallowed, so the settings screen can say the terminal is not ready yet.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dispatchApiCall } from '../../../main/terminal/api/dispatch';
import { createTerminal } from '../../../main/terminal';
import { startEmbeddedPlatform, type EmbeddedPlatform } from '../../../platform/embedded';
import { operatorClient } from '../../scenarios/support/rig';
import { startDropProxy, type DropProxy } from '../support/drop-proxy';

let platform: EmbeddedPlatform;
let proxy: DropProxy;
const dirs: string[] = [];
/** Nothing listens here: the platform seen through the proxy is gone after enrolling. */
const UNREACHABLE = 'http://127.0.0.1:9';

beforeAll(async () => {
  platform = await startEmbeddedPlatform();
  proxy = await startDropProxy(() => (proxy.forwarded === 0 ? platform.url : UNREACHABLE));
});

afterAll(async () => {
  await proxy.close();
  await platform.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function enrollThrough(platformUrl: string, terminalId: string) {
  const dataDir = mkdtempSync(join(tmpdir(), 'tapsafe-first-sync-'));
  dirs.push(dataDir);
  const terminal = createTerminal({
    dataDir,
    version: '1.0.0-test',
    transport: 'websocket',
    drivers: [],
    pcsc: { available: false, notice: null },
  });
  const operator = operatorClient(platform.url, await platform.createOperatorToken(terminalId));
  const code = await operator<{ code: string }>('POST', '/v1/enrollment-codes', {
    merchantId: 'M-FIRST-SYNC',
    terminalId,
  });
  const logged: unknown[] = [];
  try {
    const answer = await dispatchApiCall(
      terminal.handlers,
      'enrollment.enroll',
      { platformUrl, code: code.body.code },
      (error) => logged.push(error),
    );
    const sync = await dispatchApiCall(terminal.handlers, 'sync.status', undefined, () => {});
    expect(logged).toEqual([]);
    return { answer, sync };
  } finally {
    await terminal.close();
  }
}

it('says the first sync worked', async () => {
  const { answer, sync } = await enrollThrough(platform.url, 'T-SYNCED');
  expect(answer).toMatchObject({
    ok: true,
    result: { mode: 'enrolled', terminalId: 'T-SYNCED', firstSync: { ok: true } },
  });
  expect(sync).toMatchObject({ ok: true, result: { lastOutcome: 'ok' } });
});

it('enrolls, and names the failure when the platform is gone before the first sync', async () => {
  const { answer, sync } = await enrollThrough(proxy.url, 'T-UNSYNCED');
  expect(answer).toMatchObject({
    ok: true,
    result: {
      mode: 'enrolled',
      terminalId: 'T-UNSYNCED',
      firstSync: { ok: false, code: 'network' },
    },
  });
  const result = answer.ok ? (answer.result as { firstSync: { message: string } }) : undefined;
  expect(result?.firstSync.message).toMatch(/cannot reach the platform/);
  expect(sync).toMatchObject({ ok: true, result: { lastOutcome: 'network' } });
});
