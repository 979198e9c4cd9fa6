/**
 * Settlement batches of the ledger. A cut takes the unbatched payments and voids from the
 * start of the chain (a prefix: entries stored before `storedBefore`, at most
 * MAX_BATCH_RECORDS of each kind), so every batch is a contiguous run of the ledger and
 * the next one continues it. Its `chainHead` is the settlement chain of docs/protocol.md
 * section 3: protocol's batchChainHead over the batch's records, then its voids, from the
 * previous batch's head (CHAIN_GENESIS before the first). The ledger's own interleaved
 * chain (chain.ts) is a different value, kept for the local tamper check.
 */
import type Database from 'better-sqlite3';
import { batchChainHead, CHAIN_GENESIS, MAX_BATCH_RECORDS, PaymentRecord } from '../protocol';
import { LedgerError } from './errors';
import type { PaymentRow, VoidRow } from './rows';

export type BatchState = 'cut' | 'uploaded' | 'acknowledged';

export interface BatchRow {
  batchId: Buffer;
  /** Place in the terminal's sequence of batches (1, 2, …); uploads go in this order. */
  seq: number;
  periodStart: number;
  periodEnd: number;
  chainHead: Buffer;
  state: BatchState;
  cutAt: number;
  uploadedAt: number | null;
  acknowledgedAt: number | null;
  /** The platform's error code when it refused the batch (it stays unacknowledged). */
  refusedCode: string | null;
  refusedMessage: string | null;
}

export interface Unsettled {
  payments: PaymentRow[];
  voids: VoidRow[];
}

export interface CutBatch extends Unsettled {
  batch: BatchRow;
}

export interface CutInput {
  batchId: Uint8Array;
  /** Widened to cover every record's terminalTime and every void's voidedAt. */
  periodStart: number;
  periodEnd: number;
  at: number;
  /** Only entries stored before this time (a scheduled period's end); default: all. */
  storedBefore?: number;
  /** At most this many records and this many voids; default MAX_BATCH_RECORDS. */
  maxEntries?: number;
  /**
   * Signs the batch (the envelope to upload), inside the cut's transaction: a batch is
   * never stored without the exact bytes that will be sent, every time, for it.
   */
  seal?: (cut: CutBatch) => Uint8Array;
}

const BATCH_COLUMNS = `batch_id AS batchId, seq, period_start AS periodStart,
  period_end AS periodEnd, chain_head AS chainHead, state, cut_at AS cutAt,
  uploaded_at AS uploadedAt, acknowledged_at AS acknowledgedAt,
  refused_code AS refusedCode, refused_message AS refusedMessage`;

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

/** Every batch, oldest first. */
export function allBatches(db: Database.Database): BatchRow[] {
  return db
    .prepare(`SELECT ${BATCH_COLUMNS} FROM settlement_batches ORDER BY seq`)
    .all() as BatchRow[];
}

/** The signed envelope stored at the cut (undefined for a batch cut without `seal`). */
export function batchEnvelope(db: Database.Database, batchId: Uint8Array): Buffer | undefined {
  const envelope = db
    .prepare('SELECT envelope FROM settlement_batches WHERE batch_id = ?')
    .pluck()
    .get(Buffer.from(batchId)) as Buffer | null | undefined;
  return envelope ?? undefined;
}

/** The prefix of the unbatched chain a cut takes: entries up to this chain_seq. */
function cutPrefix(entries: Unsettled, storedBefore: number, max: number): Unsettled {
  const merged = [
    ...entries.payments.map((p) => ({ seq: p.chainSeq, at: p.createdAt, kind: 'p' as const })),
    ...entries.voids.map((v) => ({ seq: v.chainSeq, at: v.voidedAt, kind: 'v' as const })),
  ].sort((a, b) => a.seq - b.seq);
  let last = 0;
  let payments = 0;
  let voids = 0;
  for (const entry of merged) {
    if (entry.at >= storedBefore) break;
    if (entry.kind === 'p' ? payments === max : voids === max) break;
    if (entry.kind === 'p') payments += 1;
    else voids += 1;
    last = entry.seq;
  }
  return {
    payments: entries.payments.filter((p) => p.chainSeq <= last),
    voids: entries.voids.filter((v) => v.chainSeq <= last),
  };
}

export function cutBatch(db: Database.Database, input: CutInput): CutBatch {
  return db
    .transaction(() => {
      const batchId = Buffer.from(input.batchId);
      const max = input.maxEntries ?? MAX_BATCH_RECORDS;
      if (!Number.isSafeInteger(max) || max < 1 || max > MAX_BATCH_RECORDS) {
        throw new LedgerError('io', `maxEntries must be 1..${MAX_BATCH_RECORDS}`);
      }
      const entries = cutPrefix(unbatched(db), input.storedBefore ?? Infinity, max);
      const previous = db
        .prepare('SELECT chain_head, seq FROM settlement_batches ORDER BY seq DESC LIMIT 1')
        .get() as { chain_head: Buffer; seq: number } | undefined;
      const head = batchChainHead(
        previous?.chain_head ?? CHAIN_GENESIS,
        entries.payments.map((p) => PaymentRecord.decode(p.record)),
        entries.voids.map((v) => ({
          walletId: v.walletId,
          counter: v.counter,
          amount: v.amount,
          voidedAt: v.voidedAt,
        })),
      );
      const times = [
        ...entries.payments.map((p) => p.terminalTime),
        ...entries.voids.map((v) => v.voidedAt),
      ];
      const periodStart = Math.min(input.periodStart, ...times);
      const periodEnd = Math.max(input.periodEnd, periodStart, ...times);
      db.prepare(
        `INSERT INTO settlement_batches (batch_id, seq, period_start, period_end, chain_head,
           state, cut_at) VALUES (?, ?, ?, ?, ?, 'cut', ?)`,
      ).run(batchId, (previous?.seq ?? 0) + 1, periodStart, periodEnd, head, input.at);
      const lastSeq = Math.max(
        0,
        ...entries.payments.map((p) => p.chainSeq),
        ...entries.voids.map((v) => v.chainSeq),
      );
      db.prepare('UPDATE payments SET batch_id = ? WHERE batch_id IS NULL AND chain_seq <= ?').run(
        batchId,
        lastSeq,
      );
      db.prepare('UPDATE voids SET batch_id = ? WHERE batch_id IS NULL AND chain_seq <= ?').run(
        batchId,
        lastSeq,
      );
      const cut: CutBatch = {
        batch: batch(db, batchId) as BatchRow,
        payments: entries.payments.map((p) => ({ ...p, batchId })),
        voids: entries.voids.map((v) => ({ ...v, batchId })),
      };
      if (input.seal) {
        db.prepare('UPDATE settlement_batches SET envelope = ? WHERE batch_id = ?').run(
          Buffer.from(input.seal(cut)),
          batchId,
        );
      }
      return cut;
    })
    .immediate();
}

/** Batches cut but not yet acknowledged by the platform, oldest first. */
export function openBatches(db: Database.Database): BatchRow[] {
  return db
    .prepare(
      `SELECT ${BATCH_COLUMNS} FROM settlement_batches WHERE state <> 'acknowledged' ORDER BY seq`,
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

/** The platform refused the batch whole: kept, unacknowledged, with the platform's code. */
export function markRefused(
  db: Database.Database,
  batchId: Uint8Array,
  refusal: { code: string; message: string } | null,
): void {
  const changed = db
    .prepare(
      `UPDATE settlement_batches SET refused_code = ?, refused_message = ?
       WHERE batch_id = ? AND state <> 'acknowledged'`,
    )
    .run(refusal?.code ?? null, refusal?.message ?? null, Buffer.from(batchId)).changes;
  if (changed === 0) assertBatch(db, batchId);
}

/** The platform acknowledged the batch: its approved payments are settled (no more voids). */
export function markSettled(db: Database.Database, batchId: Uint8Array, at: number): void {
  db.transaction(() => {
    const id = Buffer.from(batchId);
    const changed = db
      .prepare(
        `UPDATE settlement_batches SET state = 'acknowledged', acknowledged_at = ?,
           refused_code = NULL, refused_message = NULL
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
