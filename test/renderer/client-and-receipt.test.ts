import { describe, expect, it } from 'vitest';
import { ApiCallError, createApiClient, describeError } from '../../renderer/src/bridge/client';
import {
  buildReceiptPdf,
  receiptPdfPath,
  type ReceiptPdf,
} from '../../renderer/src/components/receipt-pdf';
import { formatDuration, formatMoney } from '../../renderer/src/format/money';
import { createFakeBridge } from './fake-bridge';

describe('the typed call()', () => {
  it('resolves with the result, and throws the contract error with its code, reason and field', async () => {
    const bridge = createFakeBridge({ 'settlement.close': () => null });
    const bad = createFakeBridge({});
    bad.invoke = () =>
      Promise.resolve({
        ok: false,
        error: {
          code: 'refused',
          message: 'amount over limit',
          reason: 'amount_over_limit',
          field: 'amount',
        },
      });
    await expect(createApiClient(bridge).call('settlement.close')).resolves.toBeNull();
    const error: unknown = await createApiClient(bad)
      .call('checkout.start', { amount: 5 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiCallError);
    expect(error).toMatchObject({
      method: 'checkout.start',
      code: 'refused',
      reason: 'amount_over_limit',
    });
    expect(describeError(error)).toBe('amount over limit (amount)');
  });
});

describe('formatting', () => {
  it("places the point by the currency's digits and the locale", () => {
    expect(formatMoney(12_590, 156, 'en')).toBe('CN¥125.90');
    expect(formatMoney(1250, 392, 'en')).toBe('¥1,250');
    expect(formatMoney(12_590, 156, 'zh-CN')).toBe('¥125.90');
    expect(formatMoney(100_000, 978, 'de-DE')).toBe('1.000,00\u00a0€');
    expect(formatDuration(90_061)).toBe('1d 01:01:01');
  });
});

describe('the PDF receipt', () => {
  it('says OFFLINE and every line', async () => {
    const doc = await buildReceiptPdf({
      title: 'Receipt',
      offline: 'OFFLINE PAYMENT',
      rows: [
        ['Amount', 'CNY 125.90'],
        ['Wallet', 'ab'.repeat(16)],
      ],
      fileName: 'receipt-7.pdf',
    });
    const text = doc.output();
    expect(text.startsWith('%PDF-')).toBe(true);
    for (const line of ['Receipt', 'OFFLINE PAYMENT', 'Amount', 'CNY 125.90', 'Wallet']) {
      expect(text).toContain(`(${line}) Tj`);
    }
  });
});

describe("the PDF receipt's path", () => {
  const english: ReceiptPdf = {
    title: 'Receipt',
    offline: 'OFFLINE PAYMENT',
    rows: [
      ['Amount', 'CN¥125.90 – €9.90'],
      // Intl's narrow no-break space before "PM" is drawn as a plain space.
      ['Time', '12/3/2026, 1:05\u202fPM'],
      ['Merchant', 'Café Müller'],
    ],
    fileName: 'receipt-7.pdf',
  };

  it('keeps vector text for Latin-1 and WinAnsi (€, –), with Intl spaces made plain', async () => {
    expect(receiptPdfPath(english)).toBe('text');
    expect((await buildReceiptPdf(english)).output()).toContain('(12/3/2026, 1:05 PM) Tj');
  });

  it('draws the screen as an image for zh-CN labels, a Chinese value, any non-WinAnsi', () => {
    expect(receiptPdfPath({ ...english, offline: '离线支付' })).toBe('image');
    expect(receiptPdfPath({ ...english, rows: [['Merchant', '北京咖啡']] })).toBe('image');
    expect(receiptPdfPath({ ...english, title: 'Paragon Łódź' })).toBe('image');
  });
});
