/**
 * The settlement chain on the platform's side (docs/protocol.md section 3, `chainHead`):
 * each terminal's batches must continue the head of its last accepted batch, recomputed
 * here over the batch's records then voids. The platform knows only that head, so a batch
 * edited, cut short, reordered, skipped or uploaded out of turn is one thing to it: a batch
 * that does not continue. The terminal's row is locked first in the settling transaction,
 * so two batches of one terminal, on one node or several, are judged one after the other.
 */
import type { Transaction } from 'kysely';
import { CHAIN_GENESIS, batchChainHead } from '../../protocol';
import { audit } from '../audit';
import type { PlatformDatabase } from '../db/schema';
import { conflict, type PlatformError } from '../errors';
import type { Batch } from './checks';
import './schema';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

export interface ChainTip {
  /** The head the next batch must continue. */
  readonly head: Uint8Array;
  /** Its last accepted batch; null before the first. */
  readonly last_batch_id: Uint8Array | null;
}

/**
 * Locks the terminal's chain row (creating it at genesis for a terminal's first upload)
 * until the transaction ends. Concurrent first uploads both insert-or-skip; the second
 * waits for the first to commit, then locks the row it made.
 */
export async function lockChain(
  trx: Transaction<PlatformDatabase>,
  terminalId: string,
  now: number,
): Promise<ChainTip> {
  await trx
    .insertInto('settlement_chains')
    .values({ terminal_id: terminalId, head: CHAIN_GENESIS, updated_at: now })
    .onConflict((oc) => oc.column('terminal_id').doNothing())
    .execute();
  return trx
    .selectFrom('settlement_chains')
    .select(['head', 'last_batch_id'])
    .where('terminal_id', '=', terminalId)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

/** True when the batch's `chainHead` is its entries' head continuing `tip`. */
export function continuesChain(tip: ChainTip, batch: Batch): boolean {
  const { records, voids, chainHead } = batch.value;
  return Buffer.from(batchChainHead(tip.head, records, voids)).equals(chainHead);
}

/** The accepted batch's head becomes the terminal's (same transaction as the settlement). */
export async function advanceChain(
  trx: Transaction<PlatformDatabase>,
  batch: Batch,
  now: number,
): Promise<void> {
  await trx
    .updateTable('settlement_chains')
    .set({
      head: batch.value.chainHead,
      last_batch_id: batch.value.batchId,
      updated_at: now,
      broken: false,
    })
    .where('terminal_id', '=', batch.value.terminalId)
    .execute();
}

/**
 * Records a batch refused because it does not continue the chain (the operator's view and
 * the audit log; the head stays where it was) and returns the error to answer once this
 * transaction has committed.
 */
export async function refuseBrokenChain(
  trx: Transaction<PlatformDatabase>,
  tip: ChainTip,
  batch: Batch,
  now: number,
): Promise<PlatformError> {
  const { batchId, terminalId, chainHead, records, voids } = batch.value;
  await trx
    .updateTable('settlement_chains')
    .set((eb) => ({
      broken: true,
      refusals: eb('refusals', '+', 1),
      refused_batch_id: batchId,
      refused_head: chainHead,
      refused_at: now,
    }))
    .where('terminal_id', '=', terminalId)
    .execute();
  await audit(trx, {
    actor: { kind: 'terminal', id: terminalId },
    action: 'settlement.chain_broken',
    subject: `batch:${hex(batchId)}`,
    outcome: 'denied',
    detail: {
      expectedPrevious: hex(tip.head),
      batchHead: hex(chainHead),
      records: records.length,
      voids: voids.length,
    },
    at: now,
  });
  const first = tip.last_batch_id === null;
  return conflict(
    'chain_broken',
    `the batch's chainHead is not the head of its records then voids continued from ${
      first
        ? 'the genesis head (32 zero bytes: no batch of this terminal accepted yet)'
        : `this terminal's last accepted head ${hex(tip.head)}`
    }: the batch does not continue the chain (an earlier batch not yet uploaded, batches ` +
      'out of order, or entries edited, removed or reordered); nothing was settled',
    'chainHead',
  );
}
