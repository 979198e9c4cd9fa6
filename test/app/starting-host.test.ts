// The browser host serves before the terminal behind it has started (npm start listens at
// once, the demo world comes up seconds later): calls meanwhile get the typed `not_ready`
// error, app.readiness says what is starting, and once ready the same socket reaches the
// terminal and hears its events. Needs out/renderer (npm run build), as browser-host.test.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { startBrowserHost, type BrowserHost } from '../../main/host/browser-host';
import { createTerminal, type Terminal } from '../../main/terminal';
import { createStartingTerminal } from '../../main/terminal/api/starting';
import { statusEvent } from '../../main/terminal/events';
import { openSocket, untilStarted, type MessageSocket } from './helpers';

const rendererDir = resolve(import.meta.dirname, '../../out/renderer');
const loggedErrors: unknown[] = [];
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function hostOf(starting: ReturnType<typeof createStartingTerminal>): Promise<BrowserHost> {
  const host = await startBrowserHost({
    rendererDir,
    handlers: starting.handlers,
    events: starting.events,
    port: 0,
    logError: (error) => loggedErrors.push(error),
  });
  cleanups.push(() => host.close());
  return host;
}

async function socketOf(host: BrowserHost): Promise<MessageSocket> {
  const attempt = await openSocket(
    `ws://127.0.0.1:${host.port}/rpc?token=${host.token}`,
    `http://127.0.0.1:${host.port}`,
  );
  if (!attempt.opened) throw new Error(`refused with ${attempt.status}`);
  cleanups.push(() => attempt.socket.close());
  return attempt.socket;
}

function realTerminal(): Terminal {
  const dataDir = mkdtempSync(join(tmpdir(), 'tapsafe-starting-'));
  const terminal = createTerminal({
    dataDir,
    version: '9.9.9-test',
    transport: 'websocket',
    drivers: [],
    pcsc: { available: false, notice: null },
    logError: (error) => loggedErrors.push(error),
  });
  cleanups.push(async () => {
    await terminal.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return terminal;
}

it('answers not_ready before the terminal has started, then hands the socket to it', async () => {
  const starting = createStartingTerminal('demo');
  const host = await hostOf(starting);
  const socket = await socketOf(host);

  expect(await socket.request(1, 'checkout.start', { amount: 100 })).toEqual({
    id: 1,
    ok: false,
    error: {
      code: 'not_ready',
      message: 'the terminal is still starting: retry when app.readiness says ready',
    },
  });
  expect(await socket.request(2, 'app.readiness')).toEqual({
    id: 2,
    ok: true,
    result: { state: 'starting', mode: 'demo', message: null },
  });
  // The parameters are still checked first: a bad call says what is wrong, not "wait".
  expect(await socket.request(3, 'checkout.start', { amount: -1 })).toMatchObject({
    ok: false,
    error: { code: 'invalid_params', field: 'amount' },
  });

  const terminal = realTerminal();
  starting.ready(terminal);
  expect(await socket.untilEvent((event) => event === 'app.readiness', 5_000)).toEqual({
    state: 'ready',
    mode: 'demo',
    message: null,
  });
  await untilStarted(socket, 4);
  expect(await socket.request(5, 'app.info')).toMatchObject({
    ok: true,
    result: { version: '9.9.9-test', mode: 'unenrolled' },
  });
  // The started terminal's own events reach the sockets opened before it started.
  terminal.events.publish('app.status', statusEvent('info', 'hello'));
  expect(await socket.untilEvent((event) => event === 'app.status', 5_000)).toMatchObject({
    message: 'hello',
  });
  expect(loggedErrors).toEqual([]);
});

it('says why, on every call and in an event, when the terminal could not start', async () => {
  const starting = createStartingTerminal('merchant');
  const host = await hostOf(starting);
  const socket = await socketOf(host);
  starting.failed('the ledger is locked');
  expect(await socket.untilEvent((event) => event === 'app.readiness', 5_000)).toEqual({
    state: 'failed',
    mode: 'merchant',
    message: 'the ledger is locked',
  });
  expect(await socket.request(1, 'payments.list', {})).toEqual({
    id: 1,
    ok: false,
    error: { code: 'not_ready', message: 'the terminal could not start: the ledger is locked' },
  });
  await expect(untilStarted(socket, 2)).rejects.toThrow('the ledger is locked');
});
