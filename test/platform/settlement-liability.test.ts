/**
 * Who bears a payment made after a revocation (docs/protocol.md "Liability after a
 * revocation"): each side of each boundary, for a lost report and a double-spend; the
 * late-presentment bound on a terminal's clock; the void reasons; the batch figures and the
 * period; the operator's status agreeing with the signed results.
 */
import { describe, expect, it } from 'vitest';
import { SettlementResult, type PaymentRecord, type Signed, type VoidEntry } from '../../protocol';
import { createOperatorToken } from '../../platform/auth/operator-tokens';
import { balanceOf } from '../../platform/ledger/post';
import { LOST_WALLET_LOSS } from '../../platform/settlement/surface';
import { backends, useTestDatabases } from './support/databases';
import { insertTerminal, type TerminalFixture } from './support/fixtures';
import { T0 } from './support/platform';
import { errorOf } from './support/requests';
import {
  batchOf,
  issueWallet,
  pay,
  uploadRequest,
  useSettlementSetUp,
  type IssuedWallet,
} from './support/settlement';

/** The terminal's allowed hotlist age and settlement deadlines in these tests. */
const A = 3_600;
const PERIOD = 3_600;
const UPLOAD_WITHIN = 600;

const voidOf = (r: Signed<PaymentRecord>, change: Partial<VoidEntry> = {}): VoidEntry => ({
  walletId: r.value.walletId,
  counter: r.value.counter,
  amount: r.value.amount,
  voidedAt: r.value.terminalTime + 60,
  ...change,
});

describe.each(backends())('settlement liability on %s', (backend) => {
  const settlementSetUp = useSettlementSetUp(useTestDatabases(backend));

  async function setUp() {
    const platform = await settlementSetUp();
    const { db, keys, clock, app } = platform;
    await db
      .updateTable('terminals')
      .set({
        params: JSON.stringify({
          limitPerPayment: 5_000,
          hotlistMaxAgeSeconds: A,
          settlement: { periodSeconds: PERIOD, uploadWithinSeconds: UPLOAD_WITHIN },
        }),
      })
      .where('terminal_id', '=', platform.terminal.terminalId)
      .execute();
    const issuer = await keys.activeIssuer();
    const upload = async (
      terminal: TerminalFixture,
      records: readonly Signed<PaymentRecord>[],
      voids: readonly VoidEntry[] = [],
    ) => {
      const times = [...records.map((r) => r.value.terminalTime), ...voids.map((v) => v.voidedAt)];
      const period = { start: Math.min(...times), end: Math.max(...times) };
      const batch = batchOf(terminal, records, { voids, period });
      const response = await app.inject(uploadRequest(terminal, batch.encoded, clock.now()));
      expect(response.statusCode).toBe(200);
      return SettlementResult.open(response.rawPayload, issuer.publicKey).value;
    };
    const revoke = (wallet: IssuedWallet, reason: 'lost' | 'double_spend', at: number) =>
      db
        .updateTable('wallets')
        .set({ status: 'revoked', revoke_reason: reason, revoked_at: at })
        .where('wallet_id', '=', wallet.walletId)
        .execute();
    const wallet = (load = 10_000) => issueWallet(db, keys, { load });
    const merchant = () => balanceOf(db, `merchant:${platform.terminal.merchantId}`);
    const walletBalance = (w: IssuedWallet) => balanceOf(db, `wallet:${w.walletIdHex}`);
    return { ...platform, upload, revoke, wallet, merchant, walletBalance };
  }

  it('lost report: the owner pays up to the report, the platform for R < t ≤ R + A, the merchant after', async () => {
    const s = await setUp();
    const { terminal, alice } = s;
    const R = T0 - 2 * A;
    await s.revoke(alice, 'lost', R);
    // Uploaded within the deadline of every record: the terminal's times are taken as given.
    s.clock.set(R + A + 10);
    const records = [
      pay(alice, terminal, { counter: 1, amount: 1, time: R }),
      pay(alice, terminal, { counter: 2, amount: 20, time: R + 1 }),
      pay(alice, terminal, { counter: 3, amount: 300, time: R + A }),
      pay(alice, terminal, { counter: 4, amount: 4_000, time: R + A + 1 }),
    ];
    const result = await s.upload(terminal, records);
    expect(result.results.map((r) => `${r.status}:${r.reason}`)).toEqual([
      'accepted:none',
      'accepted:none',
      'accepted:none',
      'rejected:revoked',
    ]);
    expect(result.totalCredited).toBe(321);
    expect(await s.merchant()).toBe(321);
    // The owner is never charged for what was paid after the report.
    expect(await s.walletBalance(alice)).toBe(10_000 - 1);
    expect(await balanceOf(s.db, LOST_WALLET_LOSS)).toBe(-320);

    // A void of a payment the platform bore refunds the platform, not the wallet.
    const refund = await s.upload(terminal, [], [voidOf(records[1]!)]);
    expect(refund.results[0]).toMatchObject({ status: 'accepted', reason: 'none' });
    expect(await balanceOf(s.db, LOST_WALLET_LOSS)).toBe(-300);
    expect(await s.walletBalance(alice)).toBe(10_000 - 1);
    expect(await s.merchant()).toBe(301);
  });

  it('double-spend: the clone’s payments after the flag are the account’s until R + A, then the merchant’s', async () => {
    const s = await setUp();
    const { db, terminal, alice, clock } = s;
    const second = await insertTerminal(db);
    // The clone spends counter 1 at a second terminal; the platform flags it at T0.
    await s.upload(terminal, [pay(alice, terminal, { counter: 1, amount: 100, time: T0 - 60 })]);
    const flagged = await s.upload(second, [
      pay(alice, second, { counter: 1, amount: 100, time: T0 - 30 }),
    ]);
    expect(flagged.results[0]?.status).toBe('double_spend');
    const R = T0;
    const row = await db
      .selectFrom('wallets')
      .select(['revoke_reason', 'revoked_at'])
      .where('wallet_id', '=', alice.walletId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ revoke_reason: 'double_spend', revoked_at: R });
    const before = await s.walletBalance(alice);
    const beforeMerchant = await s.merchant();

    clock.set(R + A + 60);
    const result = await s.upload(terminal, [
      pay(alice, terminal, { counter: 2, amount: 7, time: R + 3 }),
      pay(alice, terminal, { counter: 3, amount: 50, time: R + A }),
      pay(alice, terminal, { counter: 4, amount: 900, time: R + A + 1 }),
    ]);
    expect(result.results.map((r) => `${r.status}:${r.reason}`)).toEqual([
      'accepted:none',
      'accepted:none',
      'rejected:revoked',
    ]);
    // Charged to the account whose wallet signed them (schemes charge the cheat).
    expect(await s.walletBalance(alice)).toBe(before - 57);
    expect(await s.merchant()).toBe(beforeMerchant + 57);
    expect(await balanceOf(db, LOST_WALLET_LOSS)).toBe(0);
  });

  it('bounds a terminal’s clock by its upload deadline: a record presented late is judged at U − P − W', async () => {
    const s = await setUp();
    const { db, terminal, clock } = s;
    const R = T0 - 600;
    const late = PERIOD + UPLOAD_WITHIN;
    // Each wallet reported lost at R; each record dated before R by the terminal's clock,
    // uploaded at U: judged at max(t, U − P − W).
    const cases = [
      { uploadedAt: R + late, outcome: 'accepted:none', payer: 'wallet' },
      { uploadedAt: R + late + 1, outcome: 'accepted:none', payer: 'platform' },
      { uploadedAt: R + A + late, outcome: 'accepted:none', payer: 'platform' },
      { uploadedAt: R + A + late + 1, outcome: 'rejected:revoked', payer: 'nobody' },
    ];
    for (const c of cases) {
      const wallet = await s.wallet();
      await s.revoke(wallet, 'lost', R);
      const record = pay(wallet, terminal, { counter: 1, amount: 10, time: R - 10 });
      const lossBefore = await balanceOf(db, LOST_WALLET_LOSS);
      clock.set(c.uploadedAt);
      const [entry] = (await s.upload(terminal, [record])).results;
      const payer =
        (await s.walletBalance(wallet)) === 10_000 - 10
          ? 'wallet'
          : (await balanceOf(db, LOST_WALLET_LOSS)) === lossBefore - 10
            ? 'platform'
            : 'nobody';
      expect({ at: c.uploadedAt - R, outcome: `${entry?.status}:${entry?.reason}`, payer }).toEqual(
        { at: c.uploadedAt - R, outcome: c.outcome, payer: c.payer },
      );
    }
    expect(await s.merchant()).toBe(30);
  });

  it('rejects voids that match no payment of this terminal with reasons of their own', async () => {
    const s = await setUp();
    const { db, terminal, alice } = s;
    const other = await insertTerminal(db, { merchantId: terminal.merchantId });
    const paid = pay(alice, terminal, { counter: 1, amount: 40 });
    await s.upload(terminal, [paid]);
    const never = pay(alice, terminal, { counter: 9, amount: 40 });
    const result = await s.upload(
      terminal,
      [],
      [
        voidOf(paid, { amount: 400 }),
        voidOf(never),
        voidOf(paid, { amount: 0 }),
        voidOf(paid, { voidedAt: paid.value.terminalTime - 1 }),
      ],
    );
    expect(result.results.map((r) => `${r.status}:${r.reason}`)).toEqual([
      'rejected:void_amount_mismatch',
      'rejected:void_unknown_record',
      'rejected:void_amount_mismatch',
      'rejected:void_before_payment',
    ]);
    // Another terminal of the same merchant learns nothing of this terminal's payments.
    const foreign = await s.upload(other, [], [voidOf(paid)]);
    expect(foreign.results[0]).toMatchObject({
      status: 'rejected',
      reason: 'void_unknown_record',
    });
    expect(await s.walletBalance(alice)).toBe(10_000 - 40);
    expect(await s.merchant()).toBe(40);
  });

  it('credits accepted records minus this batch’s voids; shows voids of earlier batches as debits', async () => {
    const s = await setUp();
    const { app, db, terminal, alice } = s;
    const bob = await s.wallet(5_000);
    const a = pay(alice, terminal, { counter: 1, amount: 700 });
    const b = pay(bob, terminal, { counter: 1, amount: 50 });
    expect((await s.upload(terminal, [a, b])).totalCredited).toBe(750);
    const c = pay(alice, terminal, { counter: 2, amount: 300 });
    const d = pay(bob, terminal, { counter: 2, amount: 200 });
    const second = await s.upload(terminal, [c, d], [voidOf(c), voidOf(a)]);
    expect(second.results.map((r) => r.status)).toEqual([
      'accepted',
      'accepted',
      'accepted',
      'accepted',
    ]);
    // c is credited and voided in this batch; a's void is a debit of 700.
    expect(second.totalCredited).toBe(200);
    expect(await s.merchant()).toBe(750 + 200 - 700);

    const { token } = await createOperatorToken(db, { label: 'ops', at: T0 });
    const status = await app.inject({
      method: 'GET',
      url: `/v1/settlement/status?terminalId=${terminal.terminalId}`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(status.json<{ terminals: unknown[] }>().terminals[0]).toMatchObject({
      batches: 2,
      records: 4,
      totalCredited: 950,
      voidsDebited: 700,
      net: 250,
    });
  });

  it('refuses a batch whose records or voids lie outside its period (400)', async () => {
    const s = await setUp();
    const { app, clock, terminal, alice } = s;
    const record = pay(alice, terminal, { counter: 1, amount: 10, time: T0 - 100 });
    const period = { start: T0 - 50, end: T0 };
    const early = batchOf(terminal, [record], { period });
    const refused = await app.inject(uploadRequest(terminal, early.encoded, clock.now()));
    expect(refused.statusCode).toBe(400);
    expect(errorOf(refused)).toMatchObject({ code: 'batch_outside_period', field: 'records' });
    const voided = batchOf(terminal, [], {
      voids: [voidOf(record, { voidedAt: T0 + 1 })],
      period,
    });
    const refusedVoid = await app.inject(uploadRequest(terminal, voided.encoded, clock.now()));
    expect(refusedVoid.statusCode).toBe(400);
    expect(errorOf(refusedVoid)).toMatchObject({ code: 'batch_outside_period', field: 'voids' });
    expect(await s.walletBalance(alice)).toBe(10_000);
  });
});
