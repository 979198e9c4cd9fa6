// @vitest-environment jsdom
// The demo panel's S1, S9, S10 and S12 pieces in the renderer: "Add a phone" calls
// demo.addPhone with the typed name, the card shows the balance at the platform once the
// demo reports it, and the demo's notes reach the guide's journal once each, in the screen's
// language.
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DemoNote, DemoView } from '../../preload/api';
import { changeLanguage, initI18n } from '../../renderer/src/i18n';
import { noteEntries } from '../../renderer/src/store/events';
import { resetTerminalState } from '../../renderer/src/store/terminal-store';
import { createFakeBridge, type FakeBridge } from './fake-bridge';
import { renderApp } from './render-app';
import { demo, phone, appInfo } from './views';

const note = (
  id: number,
  key: DemoNote['key'],
  values: DemoNote['values'] = {},
  phone = 'Alice',
): DemoNote => ({ id, key, phone, values });
const withNotes = (view: DemoView, notes: DemoNote[]): DemoView => ({ ...view, notes });

describe('the demo notes in the journal', () => {
  it('journals each note once, by id; a restarted demo’s notes count as new', () => {
    const first = withNotes(demo([phone()]), [note(1, 'unlock_refused')]);
    expect(noteEntries(null, first).map((e) => e.key)).toEqual(['unlock_refused']);
    const second = withNotes(demo([phone()]), [
      note(1, 'unlock_refused'),
      note(2, 'unlock_rate_limited', { seconds: 880 }),
    ]);
    expect(noteEntries(first, second)).toEqual([
      { kind: 'note', key: 'unlock_rate_limited', values: { seconds: 880, phone: 'Alice' } },
    ]);
    expect(noteEntries(second, second)).toEqual([]);
    const restarted = withNotes(demo([phone()]), [note(1, 'platform_confirmed')]);
    expect(noteEntries(second, restarted).map((e) => e.key)).toEqual(['platform_confirmed']);
  });
});

describe('the demo panel', () => {
  let bridge: FakeBridge;
  let unsubscribe: () => void;
  let view = demo([phone()]);

  beforeAll(() => initI18n('en'));
  beforeEach(async () => {
    resetTerminalState();
    changeLanguage('en');
    view = demo([phone()]);
    bridge = createFakeBridge({
      'app.info': () => appInfo({ merchantId: 'DEMO-MERCHANT', terminalId: 'DEMO-T1' }),
      'settings.get': () => ({ language: 'en', theme: 'light' }),
      'checkout.current': () => null,
      'demo.state': () => view,
      'demo.addPhone': (p) => {
        view = withNotes(
          demo([
            phone(),
            phone({ phoneId: 'phone-4', label: p?.label ?? '', imei: '356938035643809' }),
          ]),
          [
            note(
              1,
              'phone_activated',
              {
                value: 'IMEI 356938035643809, IMSI 460001234567891',
                amount: 20_000,
                currency: 156,
              },
              'Ivy',
            ),
          ],
        );
        return view;
      },
      'demo.action': () => {
        view = withNotes(demo([phone({ platformBalance: 9_500, balance: 9_500 })]), [
          note(1, 'platform_confirmed', { amount: 9_500, currency: 156, value: 'active' }),
        ]);
        return view;
      },
    });
    unsubscribe = await renderApp(bridge);
    fireEvent.click(screen.getByRole('tab', { name: /Demo/ }));
    // The panel is a chunk of its own, loaded on its tab's first opening: slow the first time.
    await screen.findByRole('heading', { name: 'Demo panel' }, { timeout: 10_000 });
  });
  afterEach(() => {
    cleanup();
    unsubscribe();
  });

  it('"Add a phone" sends the typed name; the new card and its journal line appear', async () => {
    const add = await screen.findByRole('button', { name: 'Add a phone' });
    expect((add as HTMLButtonElement).disabled).toBe(true); // no name yet
    fireEvent.change(screen.getByRole('textbox', { name: 'New user’s name' }), {
      target: { value: '  Ivy ' },
    });
    fireEvent.click(add);
    await waitFor(() =>
      expect(bridge.calls.filter((c) => c.method === 'demo.addPhone')[0]?.params).toEqual({
        label: 'Ivy',
      }),
    );
    expect(await screen.findByRole('heading', { name: 'Ivy' })).toBeTruthy();
    await screen.findByText(/^Ivy: activated by the platform \(IMEI 356938035643809/);
  });

  it('after "Sync online" the card shows the balance at the platform', async () => {
    expect(screen.queryByText('Balance at the platform')).toBeNull();
    fireEvent.click(await screen.findByRole('button', { name: 'Sync online (Alice)' }));
    expect(await screen.findByText('Balance at the platform')).toBeTruthy();
    await screen.findByText(/^Alice: synced; the platform holds .*95\.00 for this wallet/);
  });
});
