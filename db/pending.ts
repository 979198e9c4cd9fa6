/**
 * Torn taps: the payment request the terminal sent, kept until the wallet's answer is
 * stored (completed) or the cashier gives up (abandoned), so a re-tap can resume it.
 */
import type Database from 'better-sqlite3';

export interface PendingRequest {
  nonce: Buffer;
  /** The signed payment-request envelope as sent. */
  request: Buffer;
  amount: number;
  createdAt: number;
  /** The wallet the request was sent to; null for requests stored before migration 0002. */
  walletId: Buffer | null;
}

const COLUMNS = 'nonce, request, amount, created_at AS createdAt, wallet_id AS walletId';

export function addPending(
  db: Database.Database,
  input: {
    nonce: Uint8Array;
    request: Uint8Array;
    amount: number;
    at: number;
    walletId?: Uint8Array;
  },
): void {
  db.prepare(
    `INSERT INTO pending_requests (nonce, request, amount, created_at, state, wallet_id)
     VALUES (?, ?, ?, ?, 'pending', ?)`,
  ).run(
    Buffer.from(input.nonce),
    Buffer.from(input.request),
    input.amount,
    input.at,
    input.walletId === undefined ? null : Buffer.from(input.walletId),
  );
}

export function pendingRequests(db: Database.Database): PendingRequest[] {
  return db
    .prepare(`SELECT ${COLUMNS} FROM pending_requests WHERE state = 'pending' ORDER BY created_at`)
    .all() as PendingRequest[];
}

/** The unresolved requests sent to one wallet, oldest first (a torn tap's next tap). */
export function pendingFor(db: Database.Database, walletId: Uint8Array): PendingRequest[] {
  return db
    .prepare(
      `SELECT ${COLUMNS} FROM pending_requests WHERE state = 'pending' AND wallet_id = ?
       ORDER BY created_at`,
    )
    .all(Buffer.from(walletId)) as PendingRequest[];
}

/** True when the request was pending and is now resolved. */
export function resolvePending(
  db: Database.Database,
  nonce: Uint8Array,
  outcome: 'completed' | 'abandoned',
  at: number,
): boolean {
  return (
    db
      .prepare(
        `UPDATE pending_requests SET state = ?, resolved_at = ?
         WHERE nonce = ? AND state = 'pending'`,
      )
      .run(outcome, at, Buffer.from(nonce)).changes === 1
  );
}
