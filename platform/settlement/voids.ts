/**
 * Voids (S13): a cashier cancels a payment the terminal has not yet settled, or settled in
 * an earlier batch. The platform refunds it to the wallet's e-cash once: the void must name
 * a payment this terminal was paid for, with its exact amount; a second void of the same
 * payment (a retried batch) is a duplicate.
 */
import type { Transaction } from 'kysely';
import type { SettlementResultEntry } from '../../protocol';
import type { PlatformDatabase } from '../db/schema';
import type { Batch } from './checks';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

export interface VoidOutcome {
  readonly entries: SettlementResultEntry[];
  /** walletHex → amount refunded by this batch. */
  readonly refunds: Map<string, number>;
}

export async function applyVoids(
  trx: Transaction<PlatformDatabase>,
  batch: Batch,
  now: number,
): Promise<VoidOutcome> {
  const { voids, batchId, terminalId } = batch.value;
  const outcome: VoidOutcome = { entries: [], refunds: new Map() };
  if (voids.length === 0) return outcome;
  const payments = new Map<string, { amount: number; terminalId: string }>();
  const rows = await trx
    .selectFrom('settlement_payments')
    .select(['wallet_id', 'counter', 'amount', 'terminal_id'])
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
    });

  for (const v of voids) {
    const walletHex = hex(v.walletId);
    const payment = payments.get(`${walletHex}:${v.counter}`);
    const entry = { walletId: v.walletId, counter: v.counter };
    if (v.amount === 0 || payment?.terminalId !== terminalId || payment.amount !== v.amount) {
      outcome.entries.push({ ...entry, status: 'rejected', reason: 'wrong_terminal' });
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
    outcome.refunds.set(walletHex, (outcome.refunds.get(walletHex) ?? 0) + v.amount);
  }
  return outcome;
}
