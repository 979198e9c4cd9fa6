// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PaymentDetail, SettlementStatus } from '../../preload/api';
import { changeLanguage, initI18n } from '../../renderer/src/i18n';
import { resetTerminalState } from '../../renderer/src/store/terminal-store';
import { createFakeBridge, type FakeBridge, type Handlers } from './fake-bridge';
import { renderApp } from './render-app';
import { demo, payment, phone, readers, appInfo } from './views';

const detail: PaymentDetail = {
  ...payment(),
  merchantId: 'M1',
  terminalId: 'T1',
  nonce: '11'.repeat(16),
  batchId: null,
  voidedAt: null,
  settlement: null,
  steps: [
    { check: 'wallet certificate', ok: true, detail: null },
    { check: 'payment signature', ok: true, detail: null },
  ],
};

const settlement: SettlementStatus = {
  openPeriod: {
    start: 1_780_000_000,
    end: 1_780_086_400,
    count: 4,
    total: 5000,
    voidCount: 1,
    voidTotal: 1250,
  },
  pending: [
    {
      batchId: 'ee'.repeat(16),
      periodStart: 1_779_900_000,
      periodEnd: 1_780_000_000,
      state: 'cut',
      recordCount: 2,
      total: 3000,
      voidCount: 0,
      voidTotal: 0,
      cutAt: 1_780_000_000,
      uploadedAt: null,
      acknowledgedAt: null,
      totalCredited: null,
      refusal: null,
    },
  ],
  deadline: { at: 1_780_200_000, secondsLeft: 3 * 3600 },
  lastUpload: { at: 1_780_000_100, outcome: 'failed', message: 'platform unreachable' },
  uploading: false,
};

function handlers(): Handlers {
  let voided = false;
  return {
    'app.info': () => appInfo(),
    'settings.get': () => ({ language: 'en', theme: 'light' }),
    'settings.set': (p) => ({ language: p?.language ?? 'en', theme: p?.theme ?? 'light' }),
    'readers.list': () => readers,
    'checkout.current': () => null,
    'settlement.status': () => settlement,
    'settlement.batches': () => settlement.pending,
    'payments.list': () => ({
      payments: [payment({ status: voided ? 'voided' : 'approved' })],
      total: 1,
    }),
    'payments.get': () => ({ ...detail, status: voided ? 'voided' : 'approved' }),
    'payments.void': () => {
      voided = true;
      return payment({ status: 'voided' });
    },
    'demo.state': () => demo([phone()]),
    'demo.action': (p) =>
      demo([phone({ walletState: p?.action === 'swap_sim' ? 'locked' : 'active' })]),
  };
}

let bridge: FakeBridge;
let unsubscribe: () => void;

beforeAll(() => {
  initI18n('en');
});

beforeEach(async () => {
  resetTerminalState();
  changeLanguage('en');
  bridge = createFakeBridge(handlers());
  unsubscribe = await renderApp(bridge);
});

afterEach(() => {
  cleanup();
  unsubscribe();
});

const called = (method: string) => bridge.calls.filter((c) => c.method === method);

describe('the screens behind the tabs', () => {
  it('History: opens a payment with its verification steps and voids it after confirming', async () => {
    fireEvent.click(screen.getByRole('tab', { name: /History/ }));
    fireEvent.click(await screen.findByRole('button', { name: 'Details of payment 7' }));
    const dialog = await screen.findByRole('dialog', { name: 'Payment 7' });
    await within(dialog).findByText('payment signature');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Void payment' }));
    const confirm = screen.getByRole('dialog', { name: 'Void this payment?' });
    const cancel = within(confirm).getByRole('button', { name: 'Cancel' });
    expect(document.activeElement).toBe(cancel);
    // Tab stays inside the confirmation: from its last button back to its first.
    fireEvent.keyDown(cancel, { key: 'Tab' });
    expect(document.activeElement).toBe(within(confirm).getByRole('button', { name: 'Void' }));
    fireEvent.click(within(confirm).getByRole('button', { name: 'Void' }));
    await waitFor(() => expect(called('payments.void')).toHaveLength(1));
    expect(called('payments.void')[0]?.params).toEqual({ paymentId: 7 });
    // The list reloads on the payments.changed the void fed to the store.
    await waitFor(() => expect(screen.getAllByText('Voided').length).toBeGreaterThan(0));
  });

  it('Settlement: a red banner with the countdown while batches cannot be sent; progress bar', async () => {
    fireEvent.click(screen.getByRole('tab', { name: /Settlement/ }));
    const banner = await screen.findByRole('alert');
    expect(banner.textContent).toContain('1 batch waiting to be uploaded');
    expect(banner.textContent).toMatch(/Upload within 0?2:59:5\d|Upload within 03:00:00/);
    act(() =>
      bridge.emit('settlement.progress', {
        batchId: 'ee'.repeat(16),
        state: 'uploading',
        attempt: 1,
        nextRetryAt: null,
        done: 1,
        of: 2,
        message: '',
      }),
    );
    const bar = screen.getByRole('progressbar');
    expect(bar.getAttribute('value')).toBe('1');
    expect(bar.getAttribute('max')).toBe('2');
  });

  it('Demo: a phone action goes to the service and the guide says what just happened', async () => {
    fireEvent.click(screen.getByRole('tab', { name: /Demo/ }));
    fireEvent.click(await screen.findByRole('button', { name: 'Swap SIM (Alice)' }));
    await waitFor(() =>
      expect(called('demo.action')[0]?.params).toEqual({ phoneId: 'alice', action: 'swap_sim' }),
    );
    await screen.findByText('Alice: wallet is now locked (SIM or device changed).');
    fireEvent.change(screen.getByRole('combobox', { name: 'Scenario' }), {
      target: { value: 'S3' },
    });
    expect(screen.getByText(/SIM or device swapped/)).toBeTruthy();
  });

  it('Settings: switching the language re-renders in Chinese and persists it', async () => {
    fireEvent.click(screen.getByRole('tab', { name: /Settings/ }));
    fireEvent.change(await screen.findByRole('combobox', { name: 'Language' }), {
      target: { value: 'zh-CN' },
    });
    await screen.findByRole('tab', { name: /收银/ });
    expect(document.documentElement.lang).toBe('zh-CN');
    await waitFor(() => expect(called('settings.set')[0]?.params).toEqual({ language: 'zh-CN' }));
  });
});
