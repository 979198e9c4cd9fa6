/**
 * Large settlement batches and the direct-database checks that each one is whole or absent.
 * Every wallet is in every batch and has one of its records voided there: a refund, whose
 * notice is queued inside the settling transaction, so even the notifications table shows
 * whether a batch got in part.
 */
import type { Kysely } from 'kysely';
import { expect } from 'vitest';
import { SettlementResult, type SettlementBatch, type Signed } from '../../../protocol';
import type { PlatformDatabase } from '../../../platform/db/schema';
import { openPlatform } from '../../../platform/start';
import { insertTerminal, type TerminalFixture } from './fixtures';
import { upload } from './kill-moments';
import type { PlatformProcess, PlatformStore } from './platform-process';
import { batchOf, issueWallet, pay, type IssuedWallet } from './settlement';

export type Outcome = 'applied' | 'absent';

export interface SeededSettlement {
  readonly terminal: TerminalFixture;
  readonly wallets: readonly IssuedWallet[];
  /** To open the signed results. */
  readonly issuerKey: Uint8Array;
  /** `perWallet` fresh records of every wallet, and the void of each wallet's last one. */
  nextBatch(): Signed<SettlementBatch>;
}

/**
 * Merchant, terminal and funded wallets, written before the first start (a PGlite folder
 * belongs to one process), with the master key the server will use.
 */
export async function seedSettlement(
  store: PlatformStore,
  options: { wallets: number; perWallet: number; load: number },
): Promise<SeededSettlement> {
  const setup = await openPlatform({
    dataDir: store.dataDir,
    databaseUrl: store.databaseUrl,
    masterKeyHex: store.env.PLATFORM_MASTER_KEY,
  });
  const terminal = await insertTerminal(setup.db);
  const wallets: IssuedWallet[] = [];
  for (let i = 0; i < options.wallets; i++)
    wallets.push(await issueWallet(setup.db, setup.keys, { load: options.load }));
  const issuerKey = (await setup.keys.activeIssuer()).publicKey;
  await setup.close();

  const { perWallet } = options;
  let made = 0;
  const nextBatch = () => {
    const base = made * perWallet;
    made += 1;
    const records = wallets.flatMap((wallet) =>
      Array.from({ length: perWallet }, (_, i) =>
        pay(wallet, terminal, { counter: base + i + 1, amount: 1 + ((i * 7) % 40) }),
      ),
    );
    const voids = wallets.map((wallet) => {
      const last = records.findLast((r) => Buffer.from(r.value.walletId).equals(wallet.walletId))!;
      const { walletId, counter, amount, terminalTime } = last.value;
      return { walletId, counter, amount, voidedAt: terminalTime + 60 };
    });
    return batchOf(terminal, records, { voids });
  };
  return { terminal, wallets, issuerKey, nextBatch };
}

/** What the merchant is owed for a batch: its records less its voids (all of this batch). */
const netOf = (batch: Signed<SettlementBatch>) => batch.value.total - batch.value.voidTotal;

/** Uploads uncut; checks the signed answer (all accepted, total credited); `replayed`. */
export async function settleUncut(
  server: PlatformProcess,
  seeded: SeededSettlement,
  batch: Signed<SettlementBatch>,
): Promise<string> {
  const answer = await upload(server.url, seeded.terminal, batch.encoded).answer;
  expect(answer?.status, server.output()).toBe(200);
  const result = SettlementResult.open(answer!.body, seeded.issuerKey).value;
  // Every void is of a record of this same batch: deducted from totalCredited.
  expect(result.totalCredited).toBe(netOf(batch));
  expect(result.results).toHaveLength(batch.value.records.length + batch.value.voids.length);
  expect(result.results.every((r) => r.status === 'accepted')).toBe(true);
  return answer!.replayed;
}

export interface Expected {
  readonly batch: Signed<SettlementBatch>;
  readonly merchantId: string;
  readonly wallets: readonly IssuedWallet[];
  /** Notifications per wallet before this batch. */
  readonly noticesBefore: number;
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** Reads the batch's rows directly: all of them, consistent, or none at all. */
export async function inspectBatch(
  db: Kysely<PlatformDatabase>,
  expected: Expected,
): Promise<Outcome> {
  const { batch } = expected;
  const batchId = batch.value.batchId;
  const records = batch.value.records.length;
  const row = await db
    .selectFrom('settlement_batches')
    .select(['record_count', 'total_credited', 'result', 'status'])
    .where('batch_id', '=', batchId)
    .executeTakeFirst();
  const payments = await db
    .selectFrom('settlement_payments')
    .select((eb) => [eb.fn.countAll<string>().as('n'), eb.fn.sum<string>('amount').as('sum')])
    .where('batch_id', '=', batchId)
    .executeTakeFirstOrThrow();
  const transactions = await db
    .selectFrom('ledger_transactions')
    .select('txn_id')
    .where('reference', '=', `settlement:${hex(batchId)}`)
    .execute();
  const entries =
    transactions.length === 0
      ? []
      : await db
          .selectFrom('ledger_entries')
          .select(['account', 'amount'])
          .where(
            'txn_id',
            'in',
            transactions.map((t) => t.txn_id),
          )
          .execute();
  const notices = await db
    .selectFrom('notifications')
    .select((eb) => ['wallet_id', eb.fn.countAll<string>().as('n')])
    .groupBy('wallet_id')
    .execute();
  const noticesOf = (walletId: Uint8Array) =>
    Number(notices.find((n) => Buffer.from(n.wallet_id).equals(walletId))?.n ?? 0);
  const found = {
    batchRow: row !== undefined,
    payments: Number(payments.n),
    ledgerTransactions: transactions.length,
    ledgerEntries: entries.length,
    newNotices: expected.wallets.map((w) => noticesOf(w.walletId) - expected.noticesBefore),
  };
  const context = `batch ${hex(batchId)}: ${JSON.stringify(found)}`;

  if (row === undefined) {
    // Not at all: no trace in any table.
    expect(found, `a batch without its row, ${context}`).toEqual({
      batchRow: false,
      payments: 0,
      ledgerTransactions: 0,
      ledgerEntries: 0,
      newNotices: expected.wallets.map(() => 0),
    });
    return 'absent';
  }
  // Whole: every record paid, its result stored, one balanced ledger transaction crediting
  // the merchant, one notice per wallet (each wallet has a refund in every batch, the kind
  // of notice queued inside the settling transaction).
  expect(row.status, context).toBe('settled');
  expect(row.record_count, context).toBe(records);
  expect(row.total_credited, context).toBe(netOf(batch));
  expect(row.result.length, `a settled batch without its result, ${context}`).toBeGreaterThan(0);
  expect(found.payments, context).toBe(records);
  expect(Number(payments.sum), context).toBe(batch.value.total);
  expect(found.ledgerTransactions, context).toBe(1);
  expect(
    entries.reduce((sum, e) => sum + Number(e.amount), 0),
    context,
  ).toBe(0);
  const merchant = entries.filter((e) => e.account === `merchant:${expected.merchantId}`);
  expect(
    merchant.map((e) => Number(e.amount)),
    context,
  ).toEqual([netOf(batch)]);
  expect(found.newNotices, context).toEqual(expected.wallets.map(() => 1));
  return 'applied';
}

/**
 * Every batch whole, and nothing beyond them: each record paid once, the merchant credited
 * once per batch, no other batch row.
 */
export async function expectEachSettledOnce(
  db: Kysely<PlatformDatabase>,
  seeded: SeededSettlement,
  settled: readonly Signed<SettlementBatch>[],
): Promise<void> {
  const { terminal, wallets } = seeded;
  for (const batch of settled) {
    // Every wallet is in every batch: one notice each per batch.
    const expected = { batch, merchantId: terminal.merchantId, wallets };
    expect(await inspectBatch(db, { ...expected, noticesBefore: settled.length - 1 })).toBe(
      'applied',
    );
  }
  const paid = await db
    .selectFrom('settlement_payments')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  expect(Number(paid.n)).toBe(settled.reduce((sum, b) => sum + b.value.records.length, 0));
  const credited = await db
    .selectFrom('ledger_entries')
    .select((eb) => eb.fn.sum<string>('amount').as('sum'))
    .where('account', '=', `merchant:${terminal.merchantId}`)
    .executeTakeFirstOrThrow();
  expect(Number(credited.sum)).toBe(settled.reduce((sum, b) => sum + netOf(b), 0));
  const batches = await db
    .selectFrom('settlement_batches')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  expect(Number(batches.n)).toBe(settled.length);
}
