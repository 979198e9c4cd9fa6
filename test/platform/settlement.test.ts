/** Settlement (S10, S13): the happy path, idempotency, concurrency, voids, atomicity. */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { Notification, SettlementResult } from '../../protocol';
import { balanceOf } from '../../platform/ledger/post';
import { backends, useTestDatabases } from './support/databases';
import { insertTerminal } from './support/fixtures';
import { errorOf } from './support/requests';
import {
  batchOf,
  issueWallet,
  pay,
  syncRequest,
  uploadRequest,
  useSettlementSetUp,
} from './support/settlement';

describe.each(backends())('settlement on %s', (backend) => {
  const settlementSetUp = useSettlementSetUp(useTestDatabases(backend));

  async function setUp() {
    const platform = await settlementSetUp();
    const bob = await issueWallet(platform.db, platform.keys, { load: 5_000 });
    return { ...platform, bob };
  }

  it('settles a batch: merchant credited, wallets debited, signed result, balances told at sync (S10)', async () => {
    const { app, db, keys, clock, terminal, alice, bob } = await setUp();
    const records = [
      pay(alice, terminal, { counter: 1, amount: 1_250 }),
      pay(bob, terminal, { counter: 1, amount: 300 }),
      pay(alice, terminal, { counter: 2, amount: 450, offlineCount: 2, offlineAmount: 1_700 }),
    ];
    const response = await app.inject(uploadRequest(terminal, batchOf(terminal, records).encoded));
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/octet-stream');
    const issuer = await keys.activeIssuer();
    const result = SettlementResult.open(response.rawPayload, issuer.publicKey);
    expect(result.value.results.map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted']);
    expect(result.value.totalCredited).toBe(2_000);
    expect(await balanceOf(db, `wallet:${alice.walletIdHex}`)).toBe(10_000 - 1_700);
    expect(await balanceOf(db, `wallet:${bob.walletIdHex}`)).toBe(5_000 - 300);
    expect(await balanceOf(db, `merchant:${terminal.merchantId}`)).toBe(2_000);

    // Nothing is signed per wallet at settlement: both wallets are owed one confirmation.
    expect(await db.selectFrom('notifications').select('wallet_id').execute()).toHaveLength(0);
    expect(await db.selectFrom('balance_notices_due').select('wallet_id').execute()).toHaveLength(
      2,
    );
    const sync = () => app.inject(syncRequest(alice, clock.now(), { lastSequence: 0, counter: 2 }));
    const first = (await sync()).json<{ notifications: string[] }>().notifications;
    expect(first).toHaveLength(1);
    const notice = Notification.open(Buffer.from(first[0]!, 'hex'), issuer.publicKey).value;
    expect(notice).toMatchObject({ notificationType: 'balance_update', amount: 0, balance: 8_300 });
    // Told once: the next sync signs nothing new; bob is still owed his.
    expect((await sync()).json<{ notifications: string[] }>().notifications).toHaveLength(1);
    expect(await db.selectFrom('notifications').select('wallet_id').execute()).toHaveLength(1);
    const due = await db.selectFrom('balance_notices_due').select('wallet_id').execute();
    expect(due.map((d) => Buffer.from(d.wallet_id))).toEqual([Buffer.from(bob.walletId)]);
  });

  it('returns the stored result for the same batch, 409 for other content under its id', async () => {
    const { app, db, terminal, alice } = await setUp();
    const batch = batchOf(terminal, [pay(alice, terminal, { counter: 1, amount: 100 })]);
    const first = await app.inject(uploadRequest(terminal, batch.encoded));
    const again = await app.inject(uploadRequest(terminal, batch.encoded));
    expect(again.statusCode).toBe(200);
    expect(again.headers['x-tapsafe-replayed']).toBe('true');
    expect(Buffer.compare(again.rawPayload, first.rawPayload)).toBe(0);
    const other = batchOf(terminal, [pay(alice, terminal, { counter: 2, amount: 100 })], {
      batchId: batch.value.batchId,
    });
    const refused = await app.inject(uploadRequest(terminal, other.encoded));
    expect(refused.statusCode).toBe(409);
    expect(errorOf(refused).code).toBe('batch_conflict');
    expect(await balanceOf(db, `wallet:${alice.walletIdHex}`)).toBe(9_900);
  });

  it('settles the same batch uploaded twice at once exactly once', async () => {
    const { app, db, terminal, alice, bob } = await setUp();
    const batch = batchOf(terminal, [
      pay(alice, terminal, { counter: 1, amount: 100 }),
      pay(bob, terminal, { counter: 1, amount: 200 }),
    ]);
    const responses = await Promise.all([
      app.inject(uploadRequest(terminal, batch.encoded)),
      app.inject(uploadRequest(terminal, batch.encoded)),
    ]);
    expect(responses.map((r) => r.statusCode)).toEqual([200, 200]);
    expect(responses.map((r) => r.headers['x-tapsafe-replayed']).sort()).toEqual(['false', 'true']);
    expect(await db.selectFrom('settlement_payments').selectAll().execute()).toHaveLength(2);
    expect(await balanceOf(db, `merchant:${terminal.merchantId}`)).toBe(300);
    expect(await db.selectFrom('balance_notices_due').selectAll().execute()).toHaveLength(2);
  });

  it('pays a record sent again, in a later batch or twice in one, once: the repeats are duplicates', async () => {
    const { app, db, keys, terminal, alice, bob } = await setUp();
    const first = pay(alice, terminal, { counter: 1, amount: 100 });
    const resultOf = async (records: Parameters<typeof batchOf>[1]) => {
      const response = await app.inject(
        uploadRequest(terminal, batchOf(terminal, records).encoded),
      );
      expect(response.statusCode).toBe(200);
      const issuer = await keys.activeIssuer();
      return SettlementResult.open(response.rawPayload, issuer.publicKey).value;
    };
    await resultOf([first]);
    // A terminal that lost the first answer re-sends the record under a new batch id, next
    // to a new payment and a second copy of itself.
    const again = await resultOf([first, pay(bob, terminal, { counter: 1, amount: 200 }), first]);
    expect(again.results.map((r) => r.status)).toEqual(['duplicate', 'accepted', 'duplicate']);
    expect(again.totalCredited).toBe(200);
    expect(await db.selectFrom('settlement_payments').selectAll().execute()).toHaveLength(2);
    expect(await balanceOf(db, `wallet:${alice.walletIdHex}`)).toBe(10_000 - 100);
    expect(await balanceOf(db, `merchant:${terminal.merchantId}`)).toBe(300);
  });

  it('settles two batches sharing a record, uploaded at once: one pays it, once', async () => {
    const { app, db, keys, terminal, alice, bob } = await setUp();
    const shared = pay(alice, terminal, { counter: 1, amount: 100 });
    const batches = [
      batchOf(terminal, [pay(bob, terminal, { counter: 1, amount: 20 }), shared]),
      batchOf(terminal, [shared, pay(bob, terminal, { counter: 2, amount: 30 })]),
    ];
    const upload = (batch: (typeof batches)[number]) =>
      app.inject(uploadRequest(terminal, batch.encoded));
    const responses = await Promise.all(batches.map(upload));
    // The second continues the first's chain: judged first, it is refused and sent again.
    expect(responses[0]?.statusCode).toBe(200);
    if (responses[1]?.statusCode === 409) {
      expect(errorOf(responses[1]).code).toBe('chain_broken');
      responses[1] = await upload(batches[1]!);
    }
    expect(responses.map((r) => r.statusCode)).toEqual([200, 200]);
    const issuer = await keys.activeIssuer();
    const [a, b] = responses.map(
      (r) => SettlementResult.open(r.rawPayload, issuer.publicKey).value.results,
    );
    expect([a?.[1]?.status, b?.[0]?.status].sort()).toEqual(['accepted', 'duplicate']);
    expect([a?.[0]?.status, b?.[1]?.status]).toEqual(['accepted', 'accepted']);
    expect(await db.selectFrom('settlement_payments').selectAll().execute()).toHaveLength(3);
    expect(await balanceOf(db, `merchant:${terminal.merchantId}`)).toBe(150);
    expect(await balanceOf(db, `wallet:${alice.walletIdHex}`)).toBe(10_000 - 100);
  });

  it('refunds a void of this or an earlier batch once (S13)', async () => {
    const { app, db, keys, terminal, alice, bob } = await setUp();
    const paid = pay(alice, terminal, { counter: 1, amount: 700 });
    const sameBatch = pay(bob, terminal, { counter: 1, amount: 50 });
    const voidOf = (r: typeof paid) => ({
      walletId: r.value.walletId,
      counter: r.value.counter,
      amount: r.value.amount,
      voidedAt: r.value.terminalTime + 60,
    });
    await app.inject(uploadRequest(terminal, batchOf(terminal, [paid]).encoded));
    const second = batchOf(terminal, [sameBatch], { voids: [voidOf(paid), voidOf(sameBatch)] });
    const response = await app.inject(uploadRequest(terminal, second.encoded));
    const issuer = await keys.activeIssuer();
    const result = SettlementResult.open(response.rawPayload, issuer.publicKey).value;
    expect(result.results.map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted']);
    expect(await balanceOf(db, `wallet:${alice.walletIdHex}`)).toBe(10_000);
    expect(await balanceOf(db, `wallet:${bob.walletIdHex}`)).toBe(5_000);
    expect(await balanceOf(db, `merchant:${terminal.merchantId}`)).toBe(0);
    const notice = await db
      .selectFrom('notifications')
      .select('envelope')
      .where('wallet_id', '=', alice.walletId)
      .orderBy('sequence', 'desc')
      .executeTakeFirstOrThrow();
    expect(Notification.open(notice.envelope, issuer.publicKey).value).toMatchObject({
      amount: 700,
      balance: 10_000,
    });

    // Voided again (a retried batch under a new id): a duplicate, not a second refund.
    const other = await insertTerminal(db, { merchantId: terminal.merchantId });
    const third = batchOf(terminal, [], { voids: [voidOf(paid)] });
    const again = SettlementResult.open(
      (await app.inject(uploadRequest(terminal, third.encoded))).rawPayload,
      issuer.publicKey,
    ).value;
    expect(again.results[0]?.status).toBe('duplicate');
    // Another terminal cannot void this terminal's payment, nor learn of it.
    const foreign = batchOf(other, [], { voids: [voidOf(paid)] });
    const refused = SettlementResult.open(
      (await app.inject(uploadRequest(other, foreign.encoded))).rawPayload,
      issuer.publicKey,
    ).value;
    expect(refused.results[0]).toMatchObject({
      status: 'rejected',
      reason: 'void_unknown_record',
    });
    expect(await balanceOf(db, `wallet:${alice.walletIdHex}`)).toBe(10_000);
  });

  it('leaves nothing of a batch that fails before its commit (restart atomicity)', async () => {
    const { app, db, terminal, alice, bob } = await setUp();
    // The last write of the transaction fails, after payments, ledger and balance marks.
    await sql`create function fail_settlement() returns trigger language plpgsql as $$
      begin raise exception 'injected failure'; end $$`.execute(db);
    await sql`create trigger fail_settlement before update on settlement_batches
      for each row execute function fail_settlement()`.execute(db);
    const batch = batchOf(terminal, [
      pay(alice, terminal, { counter: 1, amount: 100 }),
      pay(bob, terminal, { counter: 1, amount: 200 }),
    ]);
    const failed = await app.inject(uploadRequest(terminal, batch.encoded));
    expect(failed.statusCode).toBe(500);
    const tables = [
      'settlement_batches',
      'settlement_payments',
      'balance_notices_due',
      'notifications',
    ] as const;
    for (const table of tables)
      expect(await db.selectFrom(table).selectAll().execute()).toHaveLength(0);
    expect(await balanceOf(db, `merchant:${terminal.merchantId}`)).toBe(0);
    expect(await balanceOf(db, `wallet:${alice.walletIdHex}`)).toBe(10_000);

    await sql`drop trigger fail_settlement on settlement_batches`.execute(db);
    const retried = await app.inject(uploadRequest(terminal, batch.encoded));
    expect(retried.statusCode).toBe(200);
    expect(retried.headers['x-tapsafe-replayed']).toBe('false');
    expect(await balanceOf(db, `merchant:${terminal.merchantId}`)).toBe(300);
  });
});
