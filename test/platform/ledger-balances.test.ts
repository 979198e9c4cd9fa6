/**
 * Running balances (core 0006, ledger/post.ts): one row per account, moved by the database
 * with every entry written, locked by each posting so the money bound is checked against
 * what the posting before left, even when postings to one account run at once.
 */
import { sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { platformMigrations } from '../../platform/db/migrations';
import type { PlatformDatabase } from '../../platform/db/schema';
import { isPlatformError } from '../../platform/errors';
import { balanceOf, MAX_AMOUNT, postTransaction } from '../../platform/ledger/post';
import { UNITS } from '../../platform/units';
import { backends, useTestDatabases } from './support/databases';

const move = (from: string, to: string, amount: number, reference?: string) => ({
  kind: 'test.move',
  ...(reference === undefined ? {} : { reference }),
  entries: [
    { account: from, amount: -amount },
    { account: to, amount },
  ],
  at: 1,
});

/** Every running balance next to the sum of its account's entries. */
async function balancesAndSums(db: Kysely<PlatformDatabase>) {
  const balances = await db
    .selectFrom('ledger_balances')
    .select(['account', 'balance'])
    .orderBy('account')
    .execute();
  const { rows } = await sql<{ account: string; balance: string }>`
    select account, sum(amount)::bigint::text as balance from ledger_entries
    group by account order by account`.execute(db);
  return {
    balances: balances.filter((b) => b.balance !== 0).map((b) => [b.account, b.balance]),
    sums: rows
      .filter((row) => row.balance !== '0')
      .map((row) => [row.account, Number(row.balance)]),
  };
}

describe.each(backends())('running balances on %s', (backend) => {
  const databases = useTestDatabases(backend);

  it('follow every entry written, by postTransaction or not, and roll back with it', async () => {
    const db = await databases.fresh();
    const post = (posting: ReturnType<typeof move>) =>
      db.transaction().execute((trx) => postTransaction(trx, posting));
    await post(move('platform:float', 'user:a', 1_000));
    await post(move('user:a', 'wallet:0a', 300));
    await post(move('user:a', 'wallet:0a', 300, 'once'));
    await post(move('user:a', 'wallet:0a', 300, 'once')); // a replay writes nothing
    await expect(
      db.transaction().execute(async (trx) => {
        await postTransaction(trx, move('wallet:0a', 'merchant:m', 50));
        throw new Error('a later step failed');
      }),
    ).rejects.toThrow('a later step failed');
    // Written by hand, past postTransaction: the trigger moves the balances all the same.
    await db.transaction().execute(async (trx) => {
      const { txn_id } = await trx
        .insertInto('ledger_transactions')
        .values({ kind: 'test.raw', reference: null, created_at: 1 })
        .returning('txn_id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('ledger_entries')
        .values([
          { txn_id, account: 'wallet:0a', amount: -25 },
          { txn_id, account: 'merchant:m', amount: 25 },
        ])
        .execute();
    });
    expect(await balanceOf(db, 'user:a')).toBe(400);
    expect(await balanceOf(db, 'wallet:0a')).toBe(575);
    expect(await balanceOf(db, 'merchant:m')).toBe(25);
    expect(await balanceOf(db, 'user:never')).toBe(0);
    const { balances, sums } = await balancesAndSums(db);
    expect(balances).toEqual(sums);
  });

  it('keeps the bound when postings to one account run at once: the first ones in pass', async () => {
    const db = await databases.fresh();
    await db
      .transaction()
      .execute((trx) => postTransaction(trx, move('platform:float', 'user:a', MAX_AMOUNT - 5)));
    // Ten postings of 1 at once (several connections on PostgreSQL): five fit.
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        db
          .transaction()
          .execute((trx) => postTransaction(trx, move(`platform:other${i}`, 'user:a', 1)))
          .then(
            () => 'posted',
            (error: unknown) => (isPlatformError(error) ? error.code : String(error)),
          ),
      ),
    );
    expect(outcomes.filter((o) => o === 'posted')).toHaveLength(5);
    expect(outcomes.filter((o) => o === 'amount_too_large')).toHaveLength(5);
    expect(await balanceOf(db, 'user:a')).toBe(MAX_AMOUNT);
    const { balances, sums } = await balancesAndSums(db);
    expect(balances).toEqual(sums);
  });

  it('adds up concurrent postings crossing the same accounts in both directions', async () => {
    const db = await databases.fresh();
    await db
      .transaction()
      .execute((trx) => postTransaction(trx, move('platform:float', 'user:a', 1_000)));
    await db
      .transaction()
      .execute((trx) => postTransaction(trx, move('platform:float', 'user:b', 1_000)));
    // a→b and b→a at once lock the same two rows: in account order, so neither waits forever.
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        db
          .transaction()
          .execute((trx) =>
            postTransaction(
              trx,
              i % 2 === 0 ? move('user:a', 'user:b', 7) : move('user:b', 'user:a', 3),
            ),
          ),
      ),
    );
    expect(await balanceOf(db, 'user:a')).toBe(1_000 - 10 * 7 + 10 * 3);
    expect(await balanceOf(db, 'user:b')).toBe(1_000 + 10 * 7 - 10 * 3);
    const { balances, sums } = await balancesAndSums(db);
    expect(balances).toEqual(sums);
  });

  it('migration 0006 starts every account from the sum of the entries written before it', async () => {
    const before = platformMigrations(UNITS).filter((m) => m.name !== '0006_ledger_balances');
    const old = await databases.fresh({ migrations: before });
    for (const [from, to, amount] of [
      ['platform:float', 'user:a', 900],
      ['user:a', 'wallet:0b', 400],
      ['wallet:0b', 'merchant:m', 150],
    ] as const) {
      await old.transaction().execute(async (trx) => {
        const { txn_id } = await trx
          .insertInto('ledger_transactions')
          .values({ kind: 'test.old', reference: null, created_at: 1 })
          .returning('txn_id')
          .executeTakeFirstOrThrow();
        await trx
          .insertInto('ledger_entries')
          .values([
            { txn_id, account: from, amount: -amount },
            { txn_id, account: to, amount },
          ])
          .execute();
      });
    }
    const db = await databases.reopen(old);
    expect(await balanceOf(db, 'platform:float')).toBe(-900);
    expect(await balanceOf(db, 'user:a')).toBe(500);
    expect(await balanceOf(db, 'wallet:0b')).toBe(250);
    expect(await balanceOf(db, 'merchant:m')).toBe(150);
    await db
      .transaction()
      .execute((trx) => postTransaction(trx, move('merchant:m', 'user:a', 100)));
    const { balances, sums } = await balancesAndSums(db);
    expect(balances).toEqual(sums);
    expect(await balanceOf(db, 'merchant:m')).toBe(50);
  });
});
