/**
 * The platform's answer to a batch, applied in one transaction: each payment and void gets
 * its outcome, the result envelope is kept as received with the figures the terminal
 * expected, and the batch is acknowledged (its approved payments settled, no more voids).
 */
import type Database from 'better-sqlite3';
import { LedgerError } from './errors';
import { markSettled } from './batches';

export type Outcome = 'accepted' | 'duplicate' | 'rejected' | 'double_spend';

export interface EntryOutcome {
  walletId: Uint8Array;
  counter: number;
  status: Outcome;
  reason: string;
}

export interface ResultToStore {
  batchId: Uint8Array;
  envelope: Uint8Array;
  issuerKeyId: Uint8Array;
  settledAt: number;
  totalCredited: number;
  /** What the terminal's own batch says should be credited (see the settlement service). */
  expectedCredited: number;
  /** Voids of payments of earlier batches: debited from the merchant besides. */
  voidsDebited: number;
  records: readonly EntryOutcome[];
  voids: readonly EntryOutcome[];
  at: number;
}

export interface StoredResult {
  batchId: Buffer;
  envelope: Buffer;
  issuerKeyId: Buffer;
  settledAt: number;
  totalCredited: number;
  expectedCredited: number;
  voidsDebited: number;
  receivedAt: number;
}

export function storeResult(db: Database.Database, input: ResultToStore): void {
  db.transaction(() => {
    const batchId = Buffer.from(input.batchId);
    const setPayment = db.prepare(
      `UPDATE payments SET outcome = ?, outcome_reason = ?
       WHERE batch_id = ? AND wallet_id = ? AND counter = ?`,
    );
    const setVoid = db.prepare(
      `UPDATE voids SET outcome = ?, outcome_reason = ?
       WHERE batch_id = ? AND wallet_id = ? AND counter = ?`,
    );
    for (const [statement, entries] of [
      [setPayment, input.records],
      [setVoid, input.voids],
    ] as const) {
      for (const e of entries) {
        const changed = statement.run(
          e.status,
          e.reason,
          batchId,
          Buffer.from(e.walletId),
          e.counter,
        ).changes;
        if (changed !== 1) {
          throw new LedgerError('not_found', `no entry ${e.counter} of this wallet in the batch`);
        }
      }
    }
    db.prepare(
      `INSERT INTO settlement_results (batch_id, envelope, issuer_key_id, settled_at,
         total_credited, expected_credited, voids_debited, received_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      batchId,
      Buffer.from(input.envelope),
      Buffer.from(input.issuerKeyId),
      input.settledAt,
      input.totalCredited,
      input.expectedCredited,
      input.voidsDebited,
      input.at,
    );
    markSettled(db, batchId, input.at);
  }).immediate();
}

const RESULT_COLUMNS = `batch_id AS batchId, envelope, issuer_key_id AS issuerKeyId,
  settled_at AS settledAt, total_credited AS totalCredited,
  expected_credited AS expectedCredited, voids_debited AS voidsDebited,
  received_at AS receivedAt`;

export function storedResult(db: Database.Database, batchId: Uint8Array): StoredResult | undefined {
  return db
    .prepare(`SELECT ${RESULT_COLUMNS} FROM settlement_results WHERE batch_id = ?`)
    .get(Buffer.from(batchId)) as StoredResult | undefined;
}

export interface OutcomeRow {
  kind: 'record' | 'void';
  walletId: Buffer;
  counter: number;
  amount: number;
  outcome: Outcome | null;
  reason: string | null;
}

/** Records then voids of a batch, in batch order, with their outcomes (null before a result). */
export function batchOutcomes(db: Database.Database, batchId: Uint8Array): OutcomeRow[] {
  const id = Buffer.from(batchId);
  const rows = (table: 'payments' | 'voids', kind: OutcomeRow['kind']) =>
    db
      .prepare(
        `SELECT '${kind}' AS kind, wallet_id AS walletId, counter, amount, outcome,
           outcome_reason AS reason FROM ${table} WHERE batch_id = ? ORDER BY chain_seq`,
      )
      .all(id) as OutcomeRow[];
  return [...rows('payments', 'record'), ...rows('voids', 'void')];
}
