// Sample payloads of the contract's views for renderer tests.
import type {
  AppInfo,
  CheckoutView,
  DemoPhoneView,
  DemoView,
  PaymentView,
  ReadersView,
} from '../../preload/api';

export const CNY = 156;

/** app.info of a demo-mode terminal over the browser host's WebSocket. */
export function appInfo(overrides: Partial<AppInfo> = {}): AppInfo {
  return {
    version: '0.1.0',
    mode: 'demo',
    transport: 'websocket',
    merchantId: 'M1',
    terminalId: 'T1',
    ...overrides,
  };
}

export function payment(overrides: Partial<PaymentView> = {}): PaymentView {
  return {
    paymentId: 7,
    walletId: 'ab'.repeat(16),
    counter: 3,
    amount: 1250,
    currency: CNY,
    terminalTime: 1_780_000_000,
    status: 'approved',
    balanceAfter: 8750,
    offline: true,
    ...overrides,
  };
}

export function sale(overrides: Partial<CheckoutView> = {}): CheckoutView {
  return {
    saleId: 'sale-1',
    state: 'awaiting_tap',
    amount: 1250,
    currency: CNY,
    readerName: 'Emulated reader',
    startedAt: 1_780_000_000,
    steps: [],
    decline: null,
    payment: null,
    ...overrides,
  };
}

export const readers: ReadersView = {
  readers: [{ name: 'Emulated reader', driver: 'emulated', state: 'ready', lastError: null }],
  pcsc: { available: false, notice: 'pcscd is not running' },
};

export function phone(overrides: Partial<DemoPhoneView> = {}): DemoPhoneView {
  return {
    phoneId: 'alice',
    label: 'Alice',
    imei: '490154203237518',
    imsi: '460001234567890',
    powered: true,
    signal: true,
    walletState: 'active',
    walletId: 'cd'.repeat(16),
    balance: 10_000,
    currency: CNY,
    counter: 0,
    onReader: false,
    log: [],
    ...overrides,
  };
}

export function demo(phones: DemoPhoneView[], offsetSeconds = 0): DemoView {
  return {
    phones,
    clock: { now: 1_780_000_000 + offsetSeconds, offsetSeconds },
    timers: { T: 86_400, T1: 3_600, T2: 7_200 },
    platformOnline: true,
  };
}
