/** Settlement refusals, double-spends (S12), authorization and the operator's status. */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateSigningKey, SettlementResult } from '../../protocol';
import { createOperatorToken } from '../../platform/auth/operator-tokens';
import { balanceOf } from '../../platform/ledger/post';
import { DOUBLE_SPEND_LOSS } from '../../platform/settlement/surface';
import { backends, useTestDatabases } from './support/databases';
import { insertTerminal } from './support/fixtures';
import { T0 } from './support/platform';
import { errorOf } from './support/requests';
import {
  batchOf,
  chainHeadOf,
  issueWallet,
  pay,
  uploadRequest,
  useSettlementSetUp,
} from './support/settlement';

describe.each(backends())('settlement checks on %s', (backend) => {
  const settlementSetUp = useSettlementSetUp(useTestDatabases(backend));

  async function setUp() {
    const platform = await settlementSetUp();
    const issuer = await platform.keys.activeIssuer();
    const results = (bytes: Buffer) => SettlementResult.open(bytes, issuer.publicKey).value.results;
    return { ...platform, results };
  }

  it('rejects forged, unknown, misdirected, over-limit and late-revoked records', async () => {
    const { app, db, keys, terminal, alice, results } = await setUp();
    const other = await insertTerminal(db);
    const forged = pay({ ...alice, key: generateSigningKey() }, terminal, {
      counter: 1,
      amount: 10,
    });
    const stranger = pay(
      { ...alice, walletId: randomBytes(16), key: generateSigningKey() },
      terminal,
      { counter: 1, amount: 10 },
    );
    const misdirected = pay(alice, other, { counter: 2, amount: 10 });
    const tooMuch = pay(alice, terminal, { counter: 3, amount: 6_000 });
    const foreignCurrency = pay(alice, terminal, { counter: 4, amount: 10, currency: 840 });
    const lost = await issueWallet(db, keys, { load: 1_000 });
    const lostLongAgo = await issueWallet(db, keys, { load: 1_000 });
    await db
      .updateTable('wallets')
      .set({ status: 'revoked', revoke_reason: 'lost', revoked_at: T0 - 3_600 })
      .where('wallet_id', '=', lost.walletId)
      .execute();
    await db
      .updateTable('wallets')
      .set({ status: 'revoked', revoke_reason: 'lost', revoked_at: T0 - 10 * 86_400 })
      .where('wallet_id', '=', lostLongAgo.walletId)
      .execute();
    // Paid before the terminal could have had the hotlist (24 h default): honoured.
    const beforeHotlist = pay(lost, terminal, { counter: 1, amount: 20 });
    const afterHotlist = pay(lostLongAgo, terminal, { counter: 1, amount: 20 });
    const records = [
      forged,
      stranger,
      misdirected,
      tooMuch,
      foreignCurrency,
      beforeHotlist,
      afterHotlist,
    ];
    const response = await app.inject(uploadRequest(terminal, batchOf(terminal, records).encoded));
    expect(response.statusCode).toBe(200);
    expect(results(response.rawPayload).map((r) => `${r.status}:${r.reason}`)).toEqual([
      'rejected:bad_signature',
      'rejected:unknown_wallet',
      'rejected:wrong_terminal',
      'rejected:limit_exceeded',
      'rejected:currency_mismatch',
      'accepted:none',
      'rejected:revoked',
    ]);
    expect(await balanceOf(db, `wallet:${alice.walletIdHex}`)).toBe(10_000);
    expect(await balanceOf(db, `merchant:${terminal.merchantId}`)).toBe(20);
  });

  it('flags a double-spend split over two terminals once, revokes the wallet, bounds the loss (S12)', async () => {
    const { app, db, terminal, alice, results } = await setUp();
    const second = await insertTerminal(db);
    // The clone holds the same wallet state: its counters collide with the original's.
    const original = [1, 2].map((counter) => pay(alice, terminal, { counter, amount: 900 }));
    const clone = [1, 2, 3].map((counter) => pay(alice, second, { counter, amount: 1_500 }));
    const [a, b] = await Promise.all([
      app.inject(uploadRequest(terminal, batchOf(terminal, original).encoded)),
      app.inject(uploadRequest(second, batchOf(second, clone).encoded)),
    ]);
    const statuses = [...results(a.rawPayload), ...results(b.rawPayload)].map((r) => r.status);
    expect(statuses.filter((s) => s === 'double_spend')).toHaveLength(2);
    expect(statuses.filter((s) => s === 'accepted')).toHaveLength(3);
    expect(await db.selectFrom('settlement_double_spends').selectAll().execute()).toHaveLength(2);
    const wallet = await db
      .selectFrom('wallets')
      .select(['status', 'revoke_reason'])
      .where('wallet_id', '=', alice.walletId)
      .executeTakeFirstOrThrow();
    expect(wallet).toEqual({ status: 'revoked', revoke_reason: 'double_spend' });

    // Uploading the clone's batch again under a new id flags nothing new.
    const retry = await app.inject(uploadRequest(second, batchOf(second, clone).encoded));
    expect(results(retry.rawPayload).map((r) => r.status)).toEqual([
      'duplicate',
      'duplicate',
      'duplicate',
    ]);
    expect(await db.selectFrom('settlement_double_spends').selectAll().execute()).toHaveLength(2);

    // Merchants are paid what their terminals accepted; the platform's loss is what was
    // spent twice, within the certificate's offline limits.
    const loss = -(await balanceOf(db, DOUBLE_SPEND_LOSS));
    const paid =
      (await balanceOf(db, `merchant:${terminal.merchantId}`)) +
      (await balanceOf(db, `merchant:${second.merchantId}`));
    expect(paid).toBe(2 * 900 + 3 * 1_500);
    expect(loss).toBeGreaterThan(0);
    expect(loss).toBeLessThanOrEqual(alice.certificate.limitOfflineAmount);
    expect(await balanceOf(db, `wallet:${alice.walletIdHex}`)).toBe(10_000 - (paid - loss));
  });

  it('admits only the batch’s own active terminal, and bounds the body', async () => {
    const { app, db, terminal, alice } = await setUp();
    const envelope = batchOf(terminal, [pay(alice, terminal, { counter: 1, amount: 10 })]).encoded;
    const anonymous = await app.inject({
      method: 'POST',
      url: '/v1/settlement/batches',
      headers: { 'content-type': 'application/octet-stream' },
      payload: Buffer.from(envelope),
    });
    expect(anonymous.statusCode).toBe(401);
    const { token } = await createOperatorToken(db, { label: 'ops', at: T0 });
    const operator = await app.inject({
      method: 'POST',
      url: '/v1/settlement/batches',
      headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${token}` },
      payload: Buffer.from(envelope),
    });
    expect(operator.statusCode).toBe(403);
    const thief = await insertTerminal(db);
    const foreign = await app.inject(uploadRequest(thief, envelope));
    expect(foreign.statusCode).toBe(403);
    expect(errorOf(foreign).code).toBe('not_your_resource');
    const suspended = await insertTerminal(db, { status: 'suspended' });
    const own = batchOf(suspended, [pay(alice, suspended, { counter: 1, amount: 10 })]).encoded;
    expect((await app.inject(uploadRequest(suspended, own))).statusCode).toBe(403);
    const huge = await app.inject(uploadRequest(terminal, Buffer.alloc(17 * 1024 * 1024)));
    expect(huge.statusCode).toBe(413);
    const garbage = await app.inject(uploadRequest(terminal, randomBytes(64)));
    expect(garbage.statusCode).toBe(400);
    expect(await db.selectFrom('settlement_batches').selectAll().execute()).toHaveLength(0);

    const status = await app.inject({
      method: 'GET',
      url: '/v1/settlement/status',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(status.json()).toEqual({ terminals: [], doubleSpends: [] });
  });

  it('refuses a batch whose period ends before it starts, or in another currency than its terminal', async () => {
    const { app, db, terminal, alice } = await setUp();
    await db
      .updateTable('terminals')
      .set({ params: JSON.stringify({ currency: 978 }) })
      .where('terminal_id', '=', terminal.terminalId)
      .execute();
    const records = () => [pay(alice, terminal, { counter: 1, amount: 10 })];
    // Refused before the chain is looked at: built off the terminal's chain.
    const previous = chainHeadOf(terminal);
    const backwards = batchOf(terminal, records(), {
      period: { start: T0, end: T0 - 3_600 },
      previous,
    });
    const refused = await app.inject(uploadRequest(terminal, backwards.encoded));
    expect(refused.statusCode).toBe(400);
    expect(errorOf(refused)).toMatchObject({ code: 'batch_bad_period', field: 'periodEnd' });
    const foreign = batchOf(terminal, records(), { currency: 999, previous });
    const wrongCurrency = await app.inject(uploadRequest(terminal, foreign.encoded));
    expect(wrongCurrency.statusCode).toBe(400);
    expect(errorOf(wrongCurrency)).toMatchObject({
      code: 'batch_currency_mismatch',
      field: 'currency',
    });
    expect(await db.selectFrom('settlement_batches').selectAll().execute()).toHaveLength(0);
    expect(await balanceOf(db, `wallet:${alice.walletIdHex}`)).toBe(10_000);
    // The same records in a well-formed batch settle.
    const fine = await app.inject(uploadRequest(terminal, batchOf(terminal, records()).encoded));
    expect(fine.statusCode).toBe(200);
  });

  it('shows per-terminal settlement status to operators', async () => {
    const { app, db, terminal, alice } = await setUp();
    const batch = batchOf(terminal, [pay(alice, terminal, { counter: 1, amount: 250 })]);
    await app.inject(uploadRequest(terminal, batch.encoded));
    const { token } = await createOperatorToken(db, { label: 'ops', at: T0 });
    const status = await app.inject({
      method: 'GET',
      url: `/v1/settlement/status?terminalId=${terminal.terminalId}`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(status.statusCode).toBe(200);
    expect(status.json()).toEqual({
      terminals: [
        {
          terminalId: terminal.terminalId,
          merchantId: terminal.merchantId,
          batches: 1,
          records: 1,
          totalCredited: 250,
          voidsDebited: 0,
          net: 250,
          lastBatch: {
            batchId: Buffer.from(batch.value.batchId).toString('hex'),
            settledAt: T0,
            records: 1,
          },
          doubleSpends: 0,
          chain: {
            head: Buffer.from(batch.value.chainHead).toString('hex'),
            lastBatchId: Buffer.from(batch.value.batchId).toString('hex'),
            broken: false,
            refusals: 0,
            lastRefusal: null,
          },
        },
      ],
      doubleSpends: [],
    });
    const asTerminal = await app.inject(uploadRequest(terminal, batch.encoded));
    expect(asTerminal.statusCode).toBe(200);
  });
});
