/**
 * Settlement batches of the ledger: a cut takes every payment and void not yet in a batch
 * (so a batch is a contiguous run of the chain and its chainHead is the head after its
 * last entry), then the batch is uploaded and acknowledged. Each step is one transaction.
 */
import type Database from 'better-sqlite3';
import { LedgerError } from './errors';
import type { PaymentRow, VoidRow } from './rows';

export type BatchState = 'cut' | 'uploaded' | 'acknowledged';

export interface BatchRow {
  batchId: Buffer;
  periodStart: number;
  periodEnd: number;
  chainHead: Buffer;
  state: BatchState;
  cutAt: number;
  uploadedAt: number | null;
  acknowledgedAt: number | null;
}

export interface Unsettled {
  payments: PaymentRow[];
  voids: VoidRow[];
}

export interface CutBatch extends Unsettled {
  batch: BatchRow;
}

const BATCH_COLUMNS = `batch_id AS batchId, period_start AS periodStart,
  period_end AS periodEnd, chain_head AS chainHead, state, cut_at AS cutAt,
  uploaded_at AS uploadedAt, acknowledged_at AS acknowledgedAt`;

function entriesWhere(db: Database.Database, where: string, ...params: unknown[]): Unsettled {
  const payments = db
    .prepare(
      `SELECT id, wallet_id AS walletId, counter, amount, currency, merchant_id AS merchantId,
         terminal_id AS terminalId, terminal_time AS terminalTime, nonce, record,
         body_hash AS bodyHash, status, batch_id AS batchId, chain_seq AS chainSeq,
         chain_hash AS chainHash, created_at AS createdAt
       FROM payments WHERE ${where} ORDER BY chain_seq`,
    )
    .all(...params) as PaymentRow[];
  const voids = db
    .prepare(
      `SELECT id, payment_id AS paymentId, wallet_id AS walletId, counter, amount,
         voided_at AS voidedAt, entry_hash AS entryHash, batch_id AS batchId,
         chain_seq AS chainSeq, chain_hash AS chainHash
       FROM voids WHERE ${where} ORDER BY chain_seq`,
    )
    .all(...params) as VoidRow[];
  return { payments, voids };
}

/** Payments and voids that no batch carries yet, in chain order. */
export function unbatched(db: Database.Database): Unsettled {
  return entriesWhere(db, 'batch_id IS NULL');
}

export function batch(db: Database.Database, batchId: Uint8Array): BatchRow | undefined {
  return db
    .prepare(`SELECT ${BATCH_COLUMNS} FROM settlement_batches WHERE batch_id = ?`)
    .get(Buffer.from(batchId)) as BatchRow | undefined;
}

export function cutBatch(
  db: Database.Database,
  input: { batchId: Uint8Array; periodStart: number; periodEnd: number; at: number },
): CutBatch {
  return db
    .transaction(() => {
      const batchId = Buffer.from(input.batchId);
      const entries = unbatched(db);
      const head = db.prepare('SELECT head FROM chain_tip WHERE id = 1').pluck().get() as Buffer;
      db.prepare(
        `INSERT INTO settlement_batches (batch_id, period_start, period_end, chain_head, state,
           cut_at) VALUES (?, ?, ?, ?, 'cut', ?)`,
      ).run(batchId, input.periodStart, input.periodEnd, head, input.at);
      db.prepare('UPDATE payments SET batch_id = ? WHERE batch_id IS NULL').run(batchId);
      db.prepare('UPDATE voids SET batch_id = ? WHERE batch_id IS NULL').run(batchId);
      return { batch: batch(db, batchId) as BatchRow, ...entries };
    })
    .immediate();
}

/** Batches cut but not yet acknowledged by the platform, oldest first. */
export function openBatches(db: Database.Database): BatchRow[] {
  return db
    .prepare(
      `SELECT ${BATCH_COLUMNS} FROM settlement_batches WHERE state <> 'acknowledged' ORDER BY cut_at`,
    )
    .all() as BatchRow[];
}

export function batchEntries(db: Database.Database, batchId: Uint8Array): Unsettled {
  return entriesWhere(db, 'batch_id = ?', Buffer.from(batchId));
}

export function markUploaded(db: Database.Database, batchId: Uint8Array, at: number): void {
  const changed = db
    .prepare(
      `UPDATE settlement_batches SET state = 'uploaded', uploaded_at = ?
       WHERE batch_id = ? AND state = 'cut'`,
    )
    .run(at, Buffer.from(batchId)).changes;
  if (changed === 0) assertBatch(db, batchId);
}

/** The platform acknowledged the batch: its approved payments are settled (no more voids). */
export function markSettled(db: Database.Database, batchId: Uint8Array, at: number): void {
  db.transaction(() => {
    const id = Buffer.from(batchId);
    const changed = db
      .prepare(
        `UPDATE settlement_batches SET state = 'acknowledged', acknowledged_at = ?
         WHERE batch_id = ? AND state <> 'acknowledged'`,
      )
      .run(at, id).changes;
    if (changed === 0) {
      assertBatch(db, batchId);
      throw new LedgerError('already_settled', 'this batch is already acknowledged');
    }
    db.prepare(
      `UPDATE payments SET status = 'settled' WHERE batch_id = ? AND status = 'approved'`,
    ).run(id);
  }).immediate();
}

function assertBatch(db: Database.Database, batchId: Uint8Array): void {
  if (!batch(db, batchId)) throw new LedgerError('not_found', 'no such settlement batch');
}
