// @vitest-environment jsdom
// The page is served before the terminal service has started (npm start listens at once):
// it says what is starting, in the chosen language, mounts no screen and calls nothing else
// until app.readiness says ready, then loads and shows the cashier's screen.
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import type { AppReadiness } from '../../preload/api';
import { App } from '../../renderer/src/App';
import { createApiClient } from '../../renderer/src/bridge/client';
import { ApiContext } from '../../renderer/src/bridge/context';
import { changeLanguage, initI18n } from '../../renderer/src/i18n';
import { loadInitialState } from '../../renderer/src/store/actions';
import { subscribeToEvents } from '../../renderer/src/store/events';
import { resetTerminalState } from '../../renderer/src/store/terminal-store';
import { createFakeBridge, type FakeBridge } from './fake-bridge';
import { readers, appInfo } from './views';

let bridge: FakeBridge;
let readiness: AppReadiness;
let unsubscribe: () => void = () => undefined;

beforeAll(() => initI18n('en'));

beforeEach(() => {
  resetTerminalState();
  changeLanguage('en');
  readiness = { state: 'starting', mode: 'demo', message: null };
  bridge = createFakeBridge({
    'app.readiness': () => readiness,
    'app.info': () => appInfo(),
    'settings.get': () => ({ language: 'en', theme: 'light' }),
    'readers.list': () => readers,
    'checkout.current': () => null,
    'demo.state': () => ({
      phones: [],
      clock: { now: 0, offsetSeconds: 0 },
      timers: { T: 1, T1: 1, T2: 1 },
      platformOnline: true,
    }),
  });
});

afterEach(() => {
  cleanup();
  unsubscribe();
});

/** As main.tsx does: render at once, load in the background. */
function startPage(): Promise<void> {
  const api = createApiClient(bridge);
  unsubscribe = subscribeToEvents(api);
  const loaded = loadInitialState(api);
  render(
    <ApiContext.Provider value={api}>
      <App />
    </ApiContext.Provider>,
  );
  return loaded;
}

const calledOtherThanReadiness = () => bridge.calls.filter((c) => c.method !== 'app.readiness');

it('shows "Starting the demo…" until the service is ready, then the cashier screen', async () => {
  const loaded = startPage();
  expect(await screen.findByText('Starting the demo…')).toBeTruthy();
  expect(screen.queryByRole('textbox', { name: 'Amount' })).toBeNull();
  expect(calledOtherThanReadiness()).toEqual([]);

  readiness = { state: 'ready', mode: 'demo', message: null };
  act(() => bridge.emit('app.readiness', readiness));
  await loaded;
  expect(await screen.findByRole('textbox', { name: 'Amount' })).toBeTruthy();
  expect(screen.queryByText('Starting the demo…')).toBeNull();
  expect(calledOtherThanReadiness().map((c) => c.method)).toContain('app.info');
});

it('says it in Chinese too, and says why when the terminal could not start', async () => {
  changeLanguage('zh-CN');
  readiness = { state: 'starting', mode: 'merchant', message: null };
  const loaded = startPage();
  expect(await screen.findByText('正在启动终端…')).toBeTruthy();
  act(() =>
    bridge.emit('app.readiness', { state: 'failed', mode: 'merchant', message: 'disk full' }),
  );
  await loaded;
  expect(await screen.findByText('终端无法启动：disk full')).toBeTruthy();
  expect(calledOtherThanReadiness()).toEqual([]);
});

it('keeps an ended start ended when a late "starting" answer crosses the event', async () => {
  // The service's "starting" answer was sent before its "failed" event, but arrives after it.
  const failed: AppReadiness = { state: 'failed', mode: 'demo', message: 'disk full' };
  bridge.invoke = ((original) => async (method, params) => {
    const answer = await original(method, params);
    if (method === 'app.readiness') act(() => bridge.emit('app.readiness', failed));
    return answer;
  })(bridge.invoke.bind(bridge));
  await startPage();
  expect(await screen.findByText('The terminal could not start: disk full')).toBeTruthy();
  expect(screen.queryByText('Starting the demo…')).toBeNull();
});
