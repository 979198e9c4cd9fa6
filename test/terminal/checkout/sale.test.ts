/**
 * The checkout end to end with real phones and the real platform (PGlite, and PostgreSQL
 * when TEST_DATABASE_URL is set): S2 approved with the payment on disk before the event,
 * amounts and currencies refused before a tap is awaited, cancel, S11 torn tap completed
 * by the next tap, a card pulled away before PAY reached it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checksOf } from '../../../db/history';
import { INS } from '../../../protocol';
import { TerminalError } from '../../../main/terminal/errors';
import { useTempDir } from '../../db/support/ledger';
import { backends } from '../../platform/support/databases';
import { startRig, type Rig } from '../../scenarios/support/rig';
import { openTill, type Till } from '../support/till';

const EUR = 978;
const isPay = (command: Uint8Array) => command[1] === INS.pay;

describe.each(backends())('checkout on %s', (backend) => {
  let rig: Rig;
  let till: Till;
  const tempDir = useTempDir('checkout');
  beforeAll(async () => {
    rig = await startRig({ backend });
  });
  afterAll(() => rig.close());
  afterEach(() => till.close());

  it('S2: approves, with the payment committed before "approved" is published', async () => {
    till = await openTill(rig, tempDir());
    const { phone } = await rig.activatedPhone('s2');
    const sale = await till.service.start({ amount: 1_250, currency: EUR });
    expect(sale).toMatchObject({ amount: 1_250, state: 'awaiting_tap' });
    till.tap(phone);
    const result = await till.service.outcome(sale.saleId);

    expect(result).toMatchObject({
      state: 'approved',
      payment: { amount: 1_250, counter: 1, balanceAfter: 8_750, completedTornTap: false },
    });
    expect(till.committedBeforeApproved).toEqual([true]);
    expect(till.states.filter((e) => e.saleId === sale.saleId).map((e) => e.state)).toEqual([
      'awaiting_tap',
      'reading',
      'verifying',
      'approved',
    ]);
    expect(result.steps.map((s) => s.step)).toEqual([
      'ready',
      'select',
      'hotlist',
      'wallet_state',
      'present_certificate',
      'certificate',
      'wallet_state',
      'certificate_for_payment',
      'freshness',
      'velocity',
      'pay',
      'record',
      'commit',
    ]);
    expect(result.steps.every((s) => s.ok)).toBe(true);
    const walletId = phone.wallet.walletId as Uint8Array;
    const row = till.ledger.payment(walletId, 1);
    expect(row).toMatchObject({ amount: 1_250, status: 'approved' });
    // The checkout commits the checks with the payment itself (the history's details).
    const checks = checksOf(till.ledger.db, row?.id ?? -1);
    expect(checks).toHaveLength(13);
    expect(checks.at(-1)).toEqual({
      check: 'stored in the ledger',
      ok: true,
      detail: `chain entry ${row?.chainSeq}`,
    });
    expect(till.ledger.pendingRequests()).toEqual([]);
    expect(phone.snapshot().wallet).toMatchObject({ balance: 8_750, counter: 1 });
  });

  it('refuses a bad amount or currency before awaiting a tap, writing nothing', async () => {
    till = await openTill(rig, tempDir());
    const limit = till.setup.current?.parameters.limitPerPayment as number;
    const refused = async (input: { amount: number; currency: number }) =>
      till.service.start(input).then(
        () => undefined,
        (error: unknown) => error,
      );
    for (const [input, code] of [
      [{ amount: 0, currency: EUR }, 'invalid_amount'],
      [{ amount: -5, currency: EUR }, 'invalid_amount'],
      [{ amount: 12.5, currency: EUR }, 'invalid_amount'],
      [{ amount: Number.NaN, currency: EUR }, 'invalid_amount'],
      [{ amount: 2 ** 60, currency: EUR }, 'invalid_amount'],
      [{ amount: limit + 1, currency: EUR }, 'amount_over_limit'],
      [{ amount: 100, currency: 840 }, 'wrong_currency'],
    ] as const) {
      const error = await refused(input);
      expect(error).toBeInstanceOf(TerminalError);
      expect(error).toMatchObject({ code });
    }
    expect(till.states).toEqual([]);
    expect(till.service.sales()).toEqual([]);
    expect(till.ledger.pendingRequests()).toEqual([]);
  });

  it('one sale at a time per reader; cancel while awaiting a tap ends it, nothing written', async () => {
    till = await openTill(rig, tempDir());
    const sale = await till.service.start({ amount: 300, currency: EUR });
    await till.reached(sale.saleId, 'awaiting_tap');
    await expect(till.service.start({ amount: 1, currency: EUR })).rejects.toMatchObject({
      code: 'sale_in_progress',
    });
    expect(await till.service.cancel(sale.saleId)).toEqual({ cancelled: [sale.saleId] });
    expect(await till.service.outcome(sale.saleId)).toMatchObject({ state: 'cancelled' });
    expect(till.service.sales()).toEqual([]);
    expect(till.ledger.pendingRequests()).toEqual([]);
    await expect(till.service.cancel(sale.saleId)).rejects.toMatchObject({ code: 'unknown_sale' });
  });

  it('S11: a card leaving after PAY is torn; the next tap completes the same payment, once', async () => {
    till = await openTill(rig, tempDir());
    const { phone } = await rig.activatedPhone('s11');
    const sale = await till.service.start({ amount: 700, currency: EUR });
    till.field.tearAfterProcessing(isPay);
    till.tap(phone);
    const torn = await till.reached(sale.saleId, 'torn');
    expect(torn.reason).toContain('tap again');
    expect(phone.snapshot().wallet).toMatchObject({ counter: 1, balance: 9_300 });
    expect(till.ledger.pendingRequests()).toHaveLength(1);
    expect(till.ledger.chainHead().seq).toBe(0);

    till.tap(phone);
    const result = await till.service.outcome(sale.saleId);
    expect(result).toMatchObject({
      state: 'approved',
      payment: { amount: 700, counter: 1, completedTornTap: true },
    });
    expect(result.steps.find((s) => s.step === 'torn_tap')?.detail).toContain('completed');
    expect(result.steps.map((s) => s.step)).not.toContain('pay');
    expect(till.committedBeforeApproved).toEqual([true]);
    expect(till.ledger.chainHead().seq).toBe(1);
    expect(till.ledger.pendingRequests()).toEqual([]);
    expect(phone.snapshot().wallet).toMatchObject({ counter: 1, balance: 9_300 });
  });

  it('a card pulled away before PAY reached it: torn, then the next tap pays once', async () => {
    till = await openTill(rig, tempDir());
    const { phone } = await rig.activatedPhone('pulled');
    const sale = await till.service.start({ amount: 450, currency: EUR });
    till.cards.beforeTransmit = (command) => {
      if (!isPay(command)) return;
      till.cards.beforeTransmit = undefined;
      till.field.remove('pulled away');
    };
    till.tap(phone);
    await till.reached(sale.saleId, 'torn');
    expect(phone.snapshot().wallet).toMatchObject({ counter: 0, balance: 10_000 });

    till.tap(phone);
    const result = await till.service.outcome(sale.saleId);
    expect(result).toMatchObject({
      state: 'approved',
      payment: { amount: 450, counter: 1, completedTornTap: false },
    });
    expect(result.steps.find((s) => s.step === 'torn_tap')?.detail).toContain('never signed');
    expect(till.ledger.chainHead().seq).toBe(1);
    expect(till.ledger.pendingRequests()).toEqual([]);
    expect(phone.snapshot().wallet).toMatchObject({ counter: 1, balance: 9_550 });
  });

  it("a torn sale cancelled by the cashier is still completed at the wallet's next tap, and announced", async () => {
    till = await openTill(rig, tempDir());
    const { phone } = await rig.activatedPhone('recovered');
    const first = await till.service.start({ amount: 600, currency: EUR });
    till.field.tearAfterProcessing(isPay);
    till.tap(phone);
    await till.reached(first.saleId, 'torn');
    expect(await till.service.cancel()).toEqual({ cancelled: [first.saleId] });
    expect(await till.service.outcome(first.saleId)).toMatchObject({ state: 'cancelled' });
    expect(till.ledger.pendingRequests()).toHaveLength(1);

    const second = await till.service.start({ amount: 250, currency: EUR });
    till.tap(phone);
    expect(await till.service.outcome(second.saleId)).toMatchObject({
      state: 'approved',
      payment: { amount: 250, counter: 2, completedTornTap: false },
    });
    expect(till.recovered).toMatchObject([
      {
        saleId: first.saleId,
        duringSaleId: second.saleId,
        payment: { amount: 600, counter: 1, completedTornTap: true },
      },
    ]);
    expect(till.ledger.chainHead().seq).toBe(2);
    expect(phone.snapshot().wallet).toMatchObject({ counter: 2, balance: 10_000 - 600 - 250 });
  });

  it('refuses to start while the terminal is not set up, and declines a tap once the hotlist is too old', async () => {
    till = await openTill(rig, tempDir());
    const setup = till.setup.current;
    till.setup.current = undefined;
    await expect(till.service.start({ amount: 100, currency: EUR })).rejects.toMatchObject({
      code: 'terminal_not_ready',
    });
    till.setup.current = setup;
    const { phone } = await rig.activatedPhone('stale-hotlist');
    const sale = await till.service.start({ amount: 100, currency: EUR });
    await till.reached(sale.saleId, 'awaiting_tap');
    const maxAge = setup?.parameters.hotlistMaxAgeSeconds as number;
    const issuedAt = setup?.hotlist.issuedAt as number;
    rig.clock.set(issuedAt + maxAge + 1);
    till.tap(phone);
    expect(await till.service.outcome(sale.saleId)).toMatchObject({
      state: 'declined',
      decline: { code: 'terminal_not_ready', action: 'terminal_sync' },
      steps: [{ step: 'ready', ok: false }],
    });
    expect(phone.snapshot().wallet.counter).toBe(0);
  });
});
