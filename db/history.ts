/**
 * The ledger read for the history screen: payments filtered by time, status and wallet,
 * newest first, a page at a time. Reads only; writes go through LedgerStore.
 */
import type Database from 'better-sqlite3';
import type { PaymentRow, VoidRow } from './rows';

export interface PaymentQuery {
  readonly from?: number | undefined;
  readonly to?: number | undefined;
  /** A status of the payments table (see db/rows.ts), compared as stored. */
  readonly status?: string | undefined;
  readonly walletId?: Uint8Array | undefined;
  readonly limit: number;
  readonly offset: number;
}

const PAYMENT_COLUMNS = `id, wallet_id AS walletId, counter, amount, currency,
  merchant_id AS merchantId, terminal_id AS terminalId, terminal_time AS terminalTime, nonce,
  record, body_hash AS bodyHash, status, batch_id AS batchId, chain_seq AS chainSeq,
  chain_hash AS chainHash, created_at AS createdAt`;

function where(query: PaymentQuery): { sql: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (query.from !== undefined) {
    clauses.push('terminal_time >= ?');
    params.push(query.from);
  }
  if (query.to !== undefined) {
    clauses.push('terminal_time <= ?');
    params.push(query.to);
  }
  if (query.status !== undefined) {
    clauses.push('status = ?');
    params.push(query.status);
  }
  if (query.walletId !== undefined) {
    clauses.push('wallet_id = ?');
    params.push(Buffer.from(query.walletId));
  }
  return { sql: clauses.length === 0 ? '' : `WHERE ${clauses.join(' AND ')}`, params };
}

export function listPayments(
  db: Database.Database,
  query: PaymentQuery,
): { rows: PaymentRow[]; total: number } {
  const { sql, params } = where(query);
  const total = db
    .prepare(`SELECT count(*) FROM payments ${sql}`)
    .pluck()
    .get(...params) as number;
  const rows = db
    .prepare(
      `SELECT ${PAYMENT_COLUMNS} FROM payments ${sql}
       ORDER BY terminal_time DESC, id DESC LIMIT ? OFFSET ?`,
    )
    .all(...params, query.limit, query.offset) as PaymentRow[];
  return { rows, total };
}

export function paymentById(db: Database.Database, id: number): PaymentRow | undefined {
  return db.prepare(`SELECT ${PAYMENT_COLUMNS} FROM payments WHERE id = ?`).get(id) as
    PaymentRow | undefined;
}

export function voidOfPayment(db: Database.Database, paymentId: number): VoidRow | undefined {
  return db
    .prepare(
      `SELECT id, payment_id AS paymentId, wallet_id AS walletId, counter, amount,
         voided_at AS voidedAt, entry_hash AS entryHash, batch_id AS batchId,
         chain_seq AS chainSeq, chain_hash AS chainHash
       FROM voids WHERE payment_id = ?`,
    )
    .get(paymentId) as VoidRow | undefined;
}

/** The platform's verdict on a payment once its batch was answered (migration 0004). */
export function paymentOutcome(
  db: Database.Database,
  id: number,
): { status: string; reason: string } | undefined {
  const row = db
    .prepare('SELECT outcome, outcome_reason AS reason FROM payments WHERE id = ?')
    .get(id) as { outcome: string | null; reason: string | null } | undefined;
  return row === undefined || row.outcome === null
    ? undefined
    : { status: row.outcome, reason: row.reason ?? 'none' };
}

export interface StoredCheck {
  readonly check: string;
  readonly ok: boolean;
  readonly detail: string | null;
}

export function storeChecks(
  db: Database.Database,
  paymentId: number,
  steps: readonly StoredCheck[],
): void {
  db.prepare(
    `INSERT INTO payment_checks (payment_id, steps) VALUES (?, ?)
     ON CONFLICT (payment_id) DO NOTHING`,
  ).run(paymentId, JSON.stringify(steps));
}

export function checksOf(db: Database.Database, paymentId: number): StoredCheck[] {
  const text = db
    .prepare('SELECT steps FROM payment_checks WHERE payment_id = ?')
    .pluck()
    .get(paymentId) as string | undefined;
  return text === undefined ? [] : (JSON.parse(text) as StoredCheck[]);
}
