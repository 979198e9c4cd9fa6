/**
 * Records that verify under the wallet's key but fail the counter or the certificate's
 * limit checks: proof of a cloned or tampered wallet, declined at the tap and kept for
 * settlement (docs/protocol.md 7.2). Also the velocity figures the checkout reads.
 */
import type Database from 'better-sqlite3';
import { sha256, type PaymentRecord, type Signed } from '../protocol';

export interface EvidenceRow {
  id: number;
  walletId: Buffer;
  counter: number;
  amount: number;
  /** The decline code the tap gave (e.g. replayed_counter). */
  reason: string;
  record: Buffer;
  bodyHash: Buffer;
  batchId: Buffer | null;
  createdAt: number;
}

const COLUMNS = `id, wallet_id AS walletId, counter, amount, reason, record,
  body_hash AS bodyHash, batch_id AS batchId, created_at AS createdAt`;

/** Stores the record once (the same body again is the same evidence); returns its row. */
export function addEvidence(
  db: Database.Database,
  record: Signed<PaymentRecord>,
  reason: string,
  at: number,
): EvidenceRow {
  const v = record.value;
  const bodyHash = Buffer.from(sha256(record.body));
  db.prepare(
    `INSERT INTO evidence_records (wallet_id, counter, amount, reason, record, body_hash,
       created_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (body_hash) DO NOTHING`,
  ).run(
    Buffer.from(v.walletId),
    v.counter,
    v.amount,
    reason,
    Buffer.from(record.encoded),
    bodyHash,
    at,
  );
  return db
    .prepare(`SELECT ${COLUMNS} FROM evidence_records WHERE body_hash = ?`)
    .get(bodyHash) as EvidenceRow;
}

export function evidenceRecords(db: Database.Database): EvidenceRow[] {
  return db.prepare(`SELECT ${COLUMNS} FROM evidence_records ORDER BY id`).all() as EvidenceRow[];
}

export interface WalletActivity {
  /** Payments of this wallet stored at or after `since` (voided ones excluded). */
  count: number;
  amount: number;
}

export function walletActivity(
  db: Database.Database,
  walletId: Uint8Array,
  since: number,
): WalletActivity {
  return db
    .prepare(
      `SELECT count(*) AS count, coalesce(sum(amount), 0) AS amount FROM payments
       WHERE wallet_id = ? AND created_at >= ? AND status != 'voided'`,
    )
    .get(Buffer.from(walletId), since) as WalletActivity;
}
