// @vitest-environment jsdom
// The demo panel's "Platform online" switch: unticking it asks the terminal for
// demo.platform {online:false}, and the panel then says the platform is offline (from the
// answer, not from the click).
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { initI18n, changeLanguage } from '../../renderer/src/i18n';
import { resetTerminalState } from '../../renderer/src/store/terminal-store';
import { createFakeBridge, type FakeBridge } from './fake-bridge';
import { renderApp } from './render-app';
import { demo, phone, appInfo } from './views';

let bridge: FakeBridge;
let unsubscribe: () => void = () => undefined;

beforeAll(() => {
  initI18n('en');
});
beforeEach(async () => {
  resetTerminalState();
  changeLanguage('en');
  let online = true;
  bridge = createFakeBridge({
    'app.info': () => appInfo(),
    'settings.get': () => ({ language: 'en', theme: 'light' }),
    'demo.state': () => ({ ...demo([phone()]), platformOnline: online }),
    'demo.platform': (p) => {
      online = p?.online ?? online;
      return { ...demo([phone()]), platformOnline: online };
    },
  });
  unsubscribe = await renderApp(bridge);
});
afterEach(() => {
  cleanup();
  unsubscribe();
});

it('takes the platform offline and back, saying which it is', async () => {
  fireEvent.click(screen.getByRole('tab', { name: /Demo/ }));
  const toggle = await screen.findByRole('checkbox', { name: 'Platform online' });
  expect(toggle).toHaveProperty('checked', true);
  fireEvent.click(toggle);
  await screen.findByText(/^Platform offline: sales are still approved offline/);
  expect(toggle).toHaveProperty('checked', false);
  expect(bridge.calls.filter((c) => c.method === 'demo.platform')[0]?.params).toEqual({
    online: false,
  });
  fireEvent.click(toggle);
  await waitFor(() => expect(toggle).toHaveProperty('checked', true));
  await screen.findByText('The terminal and the phones reach the platform.');
});

it('has its words in Chinese', async () => {
  changeLanguage('zh-CN');
  fireEvent.click(await screen.findByRole('tab', { name: /演示/ }));
  expect(await screen.findByRole('checkbox', { name: '平台在线' })).toBeTruthy();
});
