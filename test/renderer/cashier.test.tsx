// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ApiError, ApiParams, CheckoutView } from '../../preload/api';
import { initI18n } from '../../renderer/src/i18n';
import { resetTerminalState } from '../../renderer/src/store/terminal-store';
import { createFakeBridge, FakeFailure, type FakeBridge } from './fake-bridge';
import { renderApp as renderTerminal } from './render-app';
import { payment, readers, sale, appInfo } from './views';

let bridge: FakeBridge;
/** When set, checkout.start fails with this error, as the service would refuse it. */
let refuseStart: ApiError | undefined;
let unsubscribe: () => void;

function key(name: string): void {
  fireEvent.keyDown(document.activeElement ?? document.body, { key: name });
}

function type(text: string): void {
  for (const character of text) key(character);
}

async function renderApp(): Promise<void> {
  unsubscribe = await renderTerminal(bridge);
}

beforeAll(() => {
  initI18n('en');
});

beforeEach(() => {
  resetTerminalState();
  refuseStart = undefined;
  bridge = createFakeBridge({
    'app.info': () => appInfo(),
    'settings.get': () => ({ language: 'en', theme: 'light' }),
    'readers.list': () => readers,
    'checkout.current': () => null,
    'checkout.start': (params?: ApiParams<'checkout.start'>) => {
      if (refuseStart !== undefined) throw new FakeFailure(refuseStart);
      return sale({ amount: params?.amount ?? 0, state: 'awaiting_tap' });
    },
    'checkout.cancel': () => sale({ state: 'cancelled' }),
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

const push = (view: Partial<CheckoutView>) => act(() => bridge.emit('checkout.state', sale(view)));

describe('the cashier screen', () => {
  it('takes a whole sale from the keyboard: amount, Enter, tap, approved with an offline receipt', async () => {
    await renderApp();
    const amount = screen.getByRole('textbox', { name: 'Amount' });
    expect(document.activeElement).toBe(amount);
    expect(screen.getByText('Reader Emulated reader: ready')).toBeTruthy();

    type('125909');
    key('Backspace');
    expect(amount.textContent).toBe('CN¥125.90');
    key('Enter');
    await waitFor(() =>
      expect(bridge.calls.find((c) => c.method === 'checkout.start')?.params).toEqual({
        amount: 12_590,
      }),
    );
    await screen.findByRole('heading', { name: 'Tap to pay CN¥125.90' });
    // While the sale runs, the keypad is off and digits change nothing.
    expect(screen.getByRole('button', { name: '7' }).hasAttribute('disabled')).toBe(true);
    type('7');
    expect(amount.textContent).toBe('CN¥125.90');

    push({ state: 'reading', amount: 12_590 });
    expect(screen.getByRole('heading', { name: 'Reading the phone…' })).toBeTruthy();
    push({ state: 'approved', amount: 12_590, payment: payment({ amount: 12_590 }) });
    expect(screen.getByRole('heading', { name: 'Approved CN¥125.90' })).toBeTruthy();
    expect(screen.getByText('OFFLINE PAYMENT')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Print receipt' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Save receipt as PDF' })).toBeTruthy();

    // Enter starts the next sale with an empty amount.
    key('Enter');
    expect(amount.textContent).toBe('CN¥0.00');
    expect(screen.getByRole('heading', { name: 'Ready for a sale' })).toBeTruthy();
  });

  it('says why a sale was declined and what to do next', async () => {
    await renderApp();
    push({
      state: 'declined',
      decline: {
        code: 'over_offline_count',
        message: 'x',
        action: 'customer_sync',
        detail: null,
      },
    });
    expect(screen.getByRole('heading', { name: 'Declined' })).toBeTruthy();
    expect(
      screen.getByText('The wallet has made too many payments since its last sync.'),
    ).toBeTruthy();
    expect(
      screen.getByText('The customer should take the phone online (sync), then tap again.'),
    ).toBeTruthy();
    // The next digit starts a new amount and leaves the declined sale.
    type('5');
    expect(screen.getByRole('textbox', { name: 'Amount' }).textContent).toBe('CN¥0.05');
    expect(screen.getByRole('heading', { name: 'Ready for a sale' })).toBeTruthy();
  });

  it('says why the terminal refused a sale before any tap, and what to do next', async () => {
    const detail = 'The terminal cannot take payments: the hotlist is 90000 s old, at most 86400 s';
    refuseStart = { code: 'refused', reason: 'terminal_not_ready', message: detail };
    await renderApp();
    type('500');
    key('Enter');
    const alert = await screen.findByRole('alert');
    expect(alert.querySelector('.decline-reason')?.textContent).toBe(
      'The terminal cannot take payments yet (enrollment, certificate or hotlist).',
    );
    expect(alert.querySelector('.decline-action')?.textContent).toBe(
      'Next: This terminal must go online: Settings → Sync now.',
    );
    expect(alert.textContent).toContain(detail);
  });

  it('asks for the tap again after a torn tap, and Escape cancels the sale', async () => {
    await renderApp();
    push({ state: 'torn' });
    expect(screen.getByRole('heading', { name: 'Tap again' })).toBeTruthy();
    key('Escape');
    await waitFor(() =>
      expect(bridge.calls.find((c) => c.method === 'checkout.cancel')?.params).toEqual({
        saleId: 'sale-1',
      }),
    );
    await screen.findByRole('heading', { name: 'Sale cancelled' });
  });

  it('refuses to charge nothing, and the keypad edits like the keyboard', async () => {
    await renderApp();
    key('Enter');
    expect(screen.getByRole('alert').textContent).toBe('Enter an amount first.');
    fireEvent.click(screen.getByRole('button', { name: '4' }));
    fireEvent.click(screen.getByRole('button', { name: '00' }));
    fireEvent.click(screen.getByRole('button', { name: 'Backspace' }));
    expect(screen.getByRole('textbox', { name: 'Amount' }).textContent).toBe('CN¥0.40');
    key('Escape');
    expect(screen.getByRole('textbox', { name: 'Amount' }).textContent).toBe('CN¥0.00');
    expect(bridge.calls.some((c) => c.method === 'checkout.start')).toBe(false);
  });

  it('after a decline and a visit to another tab, Enter tries the declined amount again', async () => {
    await renderApp();
    push({ amount: 3_00, state: 'declined' });
    // The demo panel's tap happens on another tab: this screen unmounts, its typed amount goes.
    fireEvent.keyDown(document.body, { key: '7', altKey: true });
    await screen.findByRole('heading', { name: 'Demo panel' });
    fireEvent.keyDown(document.body, { key: '1', altKey: true });
    await screen.findByRole('heading', { name: 'Declined' });
    key('Enter');
    await waitFor(() =>
      expect(bridge.calls.find((c) => c.method === 'checkout.start')?.params).toEqual({
        amount: 3_00,
      }),
    );
  });

  it('switches screens with Alt+number; the demo tab shows in demo mode', async () => {
    await renderApp();
    expect(screen.getByRole('tab', { name: /Demo/ })).toBeTruthy();
    fireEvent.keyDown(document.body, { key: '5', altKey: true });
    await screen.findByRole('heading', { name: 'Readers' });
    expect(screen.getByText('pcscd is not running')).toBeTruthy();
    fireEvent.keyDown(document.body, { key: '1', altKey: true });
    await screen.findByRole('textbox', { name: 'Amount' });
  });
});
