import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { PlatformError } from '../../platform/errors';
import {
  balanceOf,
  ledgerAccount,
  postTransaction,
  type LedgerPosting,
} from '../../platform/ledger/post';
import { backends, useTestDatabases } from './support/databases';

const at = 1_800_000_000;
const load = (amount: number, reference?: string): LedgerPosting => ({
  kind: 'test.load',
  ...(reference === undefined ? {} : { reference }),
  entries: [
    { account: 'platform:float', amount: -amount },
    { account: 'user:alice', amount },
  ],
  at,
});

describe.each(backends())('ledger on %s', (backend) => {
  const databases = useTestDatabases(backend);

  it('posts balanced transactions and sums balances', async () => {
    const db = await databases.fresh();
    await db.transaction().execute((trx) => postTransaction(trx, load(500)));
    await db.transaction().execute((trx) =>
      postTransaction(trx, {
        kind: 'test.pay',
        entries: [
          { account: 'user:alice', amount: -120 },
          { account: 'merchant:M-1', amount: 100 },
          { account: 'hold:abc', amount: 20 },
        ],
        at,
      }),
    );
    expect(await balanceOf(db, 'user:alice')).toBe(380);
    expect(await balanceOf(db, 'merchant:M-1')).toBe(100);
    expect(await balanceOf(db, 'platform:float')).toBe(-500);
    expect(await balanceOf(db, 'user:nobody')).toBe(0);
  });

  it('refuses unbalanced, single-entry, zero and unsafe postings with a typed error, writing nothing', async () => {
    const db = await databases.fresh();
    const bad: LedgerPosting[] = [
      {
        kind: 'test.bad',
        entries: [
          { account: 'user:a', amount: 5 },
          { account: 'user:b', amount: -4 },
        ],
        at,
      },
      { kind: 'test.bad', entries: [{ account: 'user:a', amount: 5 }], at },
      { kind: 'test.bad', entries: [], at },
      {
        kind: 'test.bad',
        entries: [
          { account: 'user:a', amount: 0 },
          { account: 'user:b', amount: 0 },
        ],
        at,
      },
      {
        kind: 'test.bad',
        entries: [
          { account: 'user:a', amount: 1.5 },
          { account: 'user:b', amount: -1.5 },
        ],
        at,
      },
      {
        kind: 'test.bad',
        entries: [
          { account: 'user:a', amount: 2 ** 53 },
          { account: 'user:b', amount: -(2 ** 53) },
        ],
        at,
      },
      {
        kind: 'test.bad',
        entries: [
          { account: 'nobody:a', amount: 1 },
          { account: 'user:b', amount: -1 },
        ],
        at,
      },
      {
        kind: 'Bad Kind',
        entries: [
          { account: 'user:a', amount: 1 },
          { account: 'user:b', amount: -1 },
        ],
        at,
      },
    ];
    for (const posting of bad) {
      const attempt = db.transaction().execute((trx) => postTransaction(trx, posting));
      await expect(attempt).rejects.toBeInstanceOf(PlatformError);
      await expect(attempt).rejects.toMatchObject({ statusCode: 400 });
    }
    const count = await db
      .selectFrom('ledger_transactions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('posts an idempotent reference once, and refuses the same reference with other entries', async () => {
    const db = await databases.fresh();
    const first = await db
      .transaction()
      .execute((trx) => postTransaction(trx, load(300, 'batch-1/rec-1')));
    const again = await db
      .transaction()
      .execute((trx) => postTransaction(trx, load(300, 'batch-1/rec-1')));
    expect(first.replayed).toBe(false);
    expect(again).toEqual({ txnId: first.txnId, replayed: true });
    expect(await balanceOf(db, 'user:alice')).toBe(300);
    await expect(
      db.transaction().execute((trx) => postTransaction(trx, load(301, 'batch-1/rec-1'))),
    ).rejects.toMatchObject({ statusCode: 409, code: 'reference_conflict' });
    expect(await balanceOf(db, 'user:alice')).toBe(300);
  });

  it('posts a reference once when two transactions race with it', async () => {
    const db = await databases.fresh();
    const results = await Promise.all(
      [1, 2, 3].map(() =>
        db.transaction().execute((trx) => postTransaction(trx, load(70, 'race'))),
      ),
    );
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect(new Set(results.map((r) => r.txnId)).size).toBe(1);
    expect(await balanceOf(db, 'user:alice')).toBe(70);
  });

  it('writes nothing when the surrounding transaction rolls back', async () => {
    const db = await databases.fresh();
    await expect(
      db.transaction().execute(async (trx) => {
        await postTransaction(trx, load(50, 'rolled-back'));
        throw new Error('later step failed');
      }),
    ).rejects.toThrow('later step failed');
    expect(await balanceOf(db, 'user:alice')).toBe(0);
    await db.transaction().execute((trx) => postTransaction(trx, load(50, 'rolled-back')));
    expect(await balanceOf(db, 'user:alice')).toBe(50);
  });

  it('is enforced by the database itself: unbalanced inserts, empty transactions and edits are refused', async () => {
    const db = await databases.fresh();
    const { txnId } = await db.transaction().execute((trx) => postTransaction(trx, load(10)));
    // Entries that do not sum to zero, written around postTransaction.
    await expect(
      db.transaction().execute(async (trx) => {
        const txn = await trx
          .insertInto('ledger_transactions')
          .values({ kind: 'raw', reference: null, created_at: at })
          .returning('txn_id')
          .executeTakeFirstOrThrow();
        await trx
          .insertInto('ledger_entries')
          .values([
            { txn_id: txn.txn_id, account: 'user:x', amount: 10 },
            { txn_id: txn.txn_id, account: 'user:y', amount: -9 },
          ])
          .execute();
      }),
    ).rejects.toMatchObject({ code: '23514' });
    // A transaction with no entries fails at commit.
    await expect(
      db
        .transaction()
        .execute((trx) =>
          trx
            .insertInto('ledger_transactions')
            .values({ kind: 'raw', reference: null, created_at: at })
            .execute(),
        ),
    ).rejects.toMatchObject({ code: '23514' });
    // Adding one more entry to an existing transaction unbalances it.
    await expect(
      db
        .insertInto('ledger_entries')
        .values({ txn_id: txnId, account: 'user:z', amount: 1 })
        .execute(),
    ).rejects.toMatchObject({ code: '23514' });
    // Append-only.
    await expect(
      sql`update ledger_entries set amount = amount * 2`.execute(db),
    ).rejects.toMatchObject({ code: '42501' });
    await expect(sql`delete from ledger_transactions`.execute(db)).rejects.toMatchObject({
      code: '42501',
    });
    expect(await balanceOf(db, 'user:alice')).toBe(10);
  });

  it('names accounts the way the database accepts', () => {
    expect(ledgerAccount('wallet', '00ff')).toBe('wallet:00ff');
    expect(() => ledgerAccount('user', 'has space')).toThrow(PlatformError);
  });
});
