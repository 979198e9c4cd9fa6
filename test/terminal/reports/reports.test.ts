/**
 * Reports over a real ledger file: the X report, Z reports stored at each close and printed
 * again identical, sales by hour and by day, the CSV export (RFC 4180, formula guard).
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createReportsService, csvCell, formatAmount } from '../../../main/terminal/reports';
import { createSettlementService } from '../../../main/terminal/settlement';
import { TerminalError } from '../../../main/terminal/errors';
import { PaymentRecord, type Signed } from '../../../protocol';
import { issuerKey } from '../../handset/support/platform';
import { newWallet, useTempDir, type TestWallet } from '../../db/support/ledger';
import { fakePlatform, localTerminal, PARAMETERS, trustKeyOf } from '../support/local';

const tempDir = useTempDir('reports');
// 2023-11-14T22:13:20Z; the day below starts at 2023-11-15T00:00:00Z.
const DAY_START = 1_700_006_400;
const HOUR = 3_600;

function paid(
  wallet: TestWallet,
  counter: number,
  amount: number,
  terminalTime: number,
  fields: { terminalId?: string; currency?: number } = {},
): Signed<PaymentRecord> {
  return PaymentRecord.sign(
    {
      walletId: wallet.walletId,
      counter,
      amount,
      currency: fields.currency ?? 978,
      merchantId: 'M-1',
      terminalId: fields.terminalId ?? 'T-1',
      terminalTime,
      nonce: randomBytes(16),
      balanceAfter: 10_000,
      offlineCount: counter,
      offlineAmount: amount * counter,
    },
    wallet.key,
  );
}

function setup(utcOffsetSeconds = 0) {
  const terminal = localTerminal(tempDir());
  terminal.clock.set(DAY_START + 9 * HOUR);
  const reports = createReportsService({
    ledger: terminal.ledger,
    clock: terminal.clock,
    currency: () => 978,
    terminalId: () => 'T-1',
    utcOffsetSeconds: () => utcOffsetSeconds,
  });
  const settlement = createSettlementService({
    ledger: terminal.ledger,
    identity: () => terminal.identity,
    parameters: () => ({
      ...PARAMETERS,
      settlement: { periodSeconds: 86_400, uploadWithinSeconds: 21_600 },
    }),
    trustKeys: () => [trustKeyOf(issuerKey)],
    uploadBatch: fakePlatform({ clock: terminal.clock }).upload,
    clock: terminal.clock,
    publish: () => {},
    onPeriodClosed: () => reports.recordZ(),
  });
  const pay = (record: Signed<PaymentRecord>) =>
    terminal.ledger.appendPayment(record, terminal.clock.now());
  return { ...terminal, reports, settlement, pay };
}

describe('X and Z reports', () => {
  it('X shows the open period by hour; each close stores a numbered Z printed again identical', async () => {
    const t = setup();
    const a = newWallet();
    const b = newWallet();
    t.pay(paid(a, 1, 1_250, DAY_START + 9 * HOUR + 5));
    t.pay(paid(b, 1, 800, DAY_START + 9 * HOUR + 600));
    t.pay(paid(a, 2, 300, DAY_START + 11 * HOUR));
    t.clock.set(DAY_START + 11 * HOUR + 30);
    t.ledger.voidPayment(b.walletId, 1, t.clock.now());

    const x = t.reports.xReport();
    const open = t.ledger.unsettled();
    const gross = open.payments.reduce((sum, p) => sum + p.amount, 0);
    expect(x).toMatchObject({
      count: 3,
      gross,
      voidCount: 1,
      voidTotal: 800,
      net: gross - 800,
      currency: 978,
    });
    expect(x.byHour).toEqual([
      {
        hour: DAY_START + 9 * HOUR,
        count: 2,
        gross: 2_050,
        voidCount: 0,
        voidTotal: 0,
        net: 2_050,
      },
      {
        hour: DAY_START + 11 * HOUR,
        count: 1,
        gross: 300,
        voidCount: 1,
        voidTotal: 800,
        net: -500,
      },
    ]);

    const [batch] = t.settlement.closePeriod();
    const [z1] = t.reports.zReports();
    expect(z1).toMatchObject({
      number: 1,
      batchId: batch!.batchId,
      count: 3,
      gross: 2_350,
      voidTotal: 800,
      net: 1_550,
    });
    expect(z1!.text).toContain('Z REPORT #1');
    expect(z1!.text).toContain('Net      15.50');
    expect(t.reports.xReport()).toMatchObject({ count: 0, gross: 0, since: null, byHour: [] });

    // Upload (outcomes change the ledger) and a second day: Z #1 prints the same.
    await t.settlement.upload();
    t.clock.set(DAY_START + 30 * HOUR);
    t.pay(paid(a, 3, 99, t.clock.now()));
    t.settlement.closePeriod();
    expect(t.reports.zReports().map((z) => [z.number, z.gross])).toEqual([
      [1, 2_350],
      [2, 99],
    ]);
    expect(t.reports.zReport(1).text).toBe(z1!.text);
    expect(() => t.ledger.db.prepare('UPDATE z_reports SET text = ?').run('forged')).toThrow(
      /immutable/,
    );
    expect(() => t.ledger.db.prepare('DELETE FROM z_reports').run()).toThrow(/immutable/);
    expect(t.reports.recordZ()).toEqual([]); // one Z per period, never a second
    expect(() => t.reports.zReport(3)).toThrow(TerminalError);
  });
});

describe('sales by hour and by day', () => {
  it('buckets local hours and days, empty ones included, and refuses bad dates', () => {
    const t = setup(2 * HOUR); // local time UTC+2
    const w = newWallet();
    t.pay(paid(w, 1, 100, DAY_START - 2 * HOUR + 5)); // 00:00:05 local on the 15th
    t.pay(paid(w, 2, 200, DAY_START + 21 * HOUR)); // 23:00 local on the 15th
    t.pay(paid(w, 3, 400, DAY_START + 22 * HOUR)); // 00:00 local on the 16th

    const hours = t.reports.salesByHour('2023-11-15');
    expect(hours).toHaveLength(24);
    expect(hours[0]).toMatchObject({ hour: DAY_START - 2 * HOUR, count: 1, gross: 100 });
    expect(hours[23]).toMatchObject({ count: 1, gross: 200 });
    expect(hours.reduce((sum, h) => sum + h.gross, 0)).toBe(300);

    expect(t.reports.salesByDay('2023-11-14', '2023-11-16')).toEqual([
      { day: '2023-11-14', count: 0, gross: 0, voidCount: 0, voidTotal: 0, net: 0 },
      { day: '2023-11-15', count: 2, gross: 300, voidCount: 0, voidTotal: 0, net: 300 },
      { day: '2023-11-16', count: 1, gross: 400, voidCount: 0, voidTotal: 0, net: 400 },
    ]);
    for (const bad of ['2023-02-30', '15/11/2023', '']) {
      expect(() => t.reports.salesByHour(bad)).toThrow(
        expect.objectContaining({ code: 'bad_date' }),
      );
    }
    expect(() => t.reports.salesByDay('2023-11-16', '2023-11-15')).toThrow(
      expect.objectContaining({ code: 'bad_range' }),
    );
    expect(() => t.reports.salesByDay('2020-01-01', '2023-11-15')).toThrow(
      expect.objectContaining({ code: 'bad_range' }),
    );
  });
});

describe('CSV export', () => {
  it('quotes per RFC 4180, guards formula cells and gives amounts in minor units and formatted', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\r\nlines')).toBe('"two\r\nlines"');
    for (const formula of ['=HYPERLINK("x")', '+1', '-2', '@SUM(A1)', '\tcmd']) {
      expect(csvCell(formula).replace(/^"/, '').startsWith("'")).toBe(true);
    }
    expect(csvCell('=1,2')).toBe(`"'=1,2"`);
    expect(csvCell(-5)).toBe('-5');
    expect(formatAmount(5, 978)).toBe('0.05');
    expect(formatAmount(123_456, 392)).toBe('123456');
    expect(formatAmount(1_234, 414)).toBe('1.234');

    const t = setup();
    const w = newWallet();
    t.pay(paid(w, 1, 1_234, DAY_START + HOUR, { terminalId: '-1.5' }));
    t.pay(paid(w, 2, 500, DAY_START + 2 * HOUR, { currency: 392 }));
    t.ledger.voidPayment(w.walletId, 2, DAY_START + 3 * HOUR);
    t.pay(paid(w, 3, 1, DAY_START + 2 * 86_400)); // outside the range

    const csv = t.reports.exportCsv({ from: DAY_START, to: DAY_START + 86_400 });
    const lines = csv.split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(lines[0]).toBe(
      'time_utc,merchant_id,terminal_id,wallet_id,counter,amount_minor,amount,currency,status,voided_at_utc,batch_id,outcome,outcome_reason',
    );
    const wallet = w.walletId.toString('hex');
    expect(lines.slice(1, -1)).toEqual([
      `2023-11-15T01:00:00Z,M-1,'-1.5,${wallet},1,1234,12.34,978,approved,,,,`,
      `2023-11-15T02:00:00Z,M-1,T-1,${wallet},2,500,500,392,voided,2023-11-15T03:00:00Z,,,`,
    ]);
    expect(() => t.reports.exportCsv({ from: 10, to: 5 })).toThrow(
      expect.objectContaining({ code: 'bad_range' }),
    );
  });
});
