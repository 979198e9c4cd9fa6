/**
 * Voids (S13): a cashier cancels a payment the terminal has not yet settled, or settled in
 * an earlier batch. The platform refunds it once to whoever paid for it (the wallet's
 * account, or the platform for a payment it bore after a lost report), and debits the
 * merchant. A void must name a payment this terminal was paid for (else
 * `void_unknown_record`: another terminal's payments are not disclosed), with its exact
 * amount (`void_amount_mismatch`), made no earlier than the payment (`void_before_payment`);
 * a second void of the same payment (a retried batch) is a duplicate.
 */
import type { Transaction } from 'kysely';
import type { RejectReason, SettlementResultEntry } from '../../protocol';
import type { PlatformDatabase } from '../db/schema';
import type { PaymentLiability } from './schema';
import type { Batch } from './checks';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

export interface VoidOutcome {
  readonly entries: SettlementResultEntry[];
  /** walletHex → amount refunded to that wallet's account by this batch. */
  readonly refunds: Map<string, number>;
  /** Refunded to the platform: voids of payments it bore after a lost report. */
  platformRefunds: number;
  /** Voids of payments settled in this batch: deducted from its totalCredited. */
  sameBatch: number;
  /** Voids of payments settled in earlier batches: a debit to the merchant. */
  earlierBatches: number;
}

interface Payment {
  readonly amount: number;
  readonly terminalId: string;
  readonly terminalTime: number;
  readonly batchId: Uint8Array;
  readonly liability: PaymentLiability;
}

function reasonFor(
  v: { amount: number; voidedAt: number },
  payment: Payment | undefined,
  terminalId: string,
): RejectReason | undefined {
  if (payment === undefined || payment.terminalId !== terminalId) return 'void_unknown_record';
  if (payment.amount !== v.amount || v.amount === 0) return 'void_amount_mismatch';
  if (v.voidedAt < payment.terminalTime) return 'void_before_payment';
  return undefined;
}

export async function applyVoids(
  trx: Transaction<PlatformDatabase>,
  batch: Batch,
  now: number,
): Promise<VoidOutcome> {
  const { voids, batchId, terminalId } = batch.value;
  const outcome: VoidOutcome = {
    entries: [],
    refunds: new Map(),
    platformRefunds: 0,
    sameBatch: 0,
    earlierBatches: 0,
  };
  if (voids.length === 0) return outcome;
  const payments = new Map<string, Payment>();
  const rows = await trx
    .selectFrom('settlement_payments')
    .select(['wallet_id', 'counter', 'amount', 'terminal_id', 'terminal_time', 'batch_id'])
    .select('liability')
    .where(
      'wallet_id',
      'in',
      [...new Set(voids.map((v) => hex(v.walletId)))].map((h) => Buffer.from(h, 'hex')),
    )
    .where('counter', 'in', [...new Set(voids.map((v) => v.counter))])
    .execute();
  for (const row of rows)
    payments.set(`${hex(row.wallet_id)}:${row.counter}`, {
      amount: row.amount,
      terminalId: row.terminal_id,
      terminalTime: row.terminal_time,
      batchId: row.batch_id,
      liability: row.liability,
    });

  for (const v of voids) {
    const walletHex = hex(v.walletId);
    const payment = payments.get(`${walletHex}:${v.counter}`);
    const entry = { walletId: v.walletId, counter: v.counter };
    const reason = reasonFor(v, payment, terminalId);
    if (reason !== undefined || payment === undefined) {
      outcome.entries.push({
        ...entry,
        status: 'rejected',
        reason: reason ?? 'void_unknown_record',
      });
      continue;
    }
    const done = await trx
      .insertInto('settlement_voids')
      .values({
        wallet_id: v.walletId,
        counter: v.counter,
        batch_id: batchId,
        amount: v.amount,
        voided_at: Math.min(v.voidedAt, now),
      })
      .onConflict((oc) => oc.columns(['wallet_id', 'counter']).doNothing())
      .returning('counter')
      .executeTakeFirst();
    if (done === undefined) {
      outcome.entries.push({ ...entry, status: 'duplicate', reason: 'none' });
      continue;
    }
    outcome.entries.push({ ...entry, status: 'accepted', reason: 'none' });
    if (payment.liability === 'platform') outcome.platformRefunds += v.amount;
    else outcome.refunds.set(walletHex, (outcome.refunds.get(walletHex) ?? 0) + v.amount);
    if (Buffer.from(payment.batchId).equals(batchId)) outcome.sameBatch += v.amount;
    else outcome.earlierBatches += v.amount;
  }
  return outcome;
}
