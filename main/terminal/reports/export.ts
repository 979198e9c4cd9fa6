/** The CSV export of payments: one line per payment taken in the range, oldest first. */
import type Database from 'better-sqlite3';
import { csvLine } from './csv';
import { formatAmount } from './money';

export const CSV_COLUMNS = [
  'time_utc',
  'merchant_id',
  'terminal_id',
  'wallet_id',
  'counter',
  'amount_minor',
  'amount',
  'currency',
  'status',
  'voided_at_utc',
  'batch_id',
  'outcome',
  'outcome_reason',
] as const;

interface ExportRow {
  terminalTime: number;
  merchantId: string;
  terminalId: string;
  walletId: Buffer;
  counter: number;
  amount: number;
  currency: number;
  status: string;
  voidedAt: number | null;
  batchId: Buffer | null;
  outcome: string | null;
  outcomeReason: string | null;
}

const iso = (seconds: number): string => new Date(seconds * 1000).toISOString().replace('.000', '');

export function exportPayments(db: Database.Database, range: { from: number; to: number }): string {
  const rows = db
    .prepare(
      `SELECT p.terminal_time AS terminalTime, p.merchant_id AS merchantId,
         p.terminal_id AS terminalId, p.wallet_id AS walletId, p.counter, p.amount, p.currency,
         p.status, v.voided_at AS voidedAt, p.batch_id AS batchId, p.outcome,
         p.outcome_reason AS outcomeReason
       FROM payments p LEFT JOIN voids v ON v.payment_id = p.id
       WHERE p.terminal_time >= ? AND p.terminal_time < ? ORDER BY p.terminal_time, p.chain_seq`,
    )
    .all(range.from, range.to) as ExportRow[];
  return [
    csvLine(CSV_COLUMNS),
    ...rows.map((r) =>
      csvLine([
        iso(r.terminalTime),
        r.merchantId,
        r.terminalId,
        r.walletId.toString('hex'),
        r.counter,
        r.amount,
        formatAmount(r.amount, r.currency),
        r.currency,
        r.status,
        r.voidedAt === null ? null : iso(r.voidedAt),
        r.batchId === null ? null : r.batchId.toString('hex'),
        r.outcome,
        r.outcomeReason,
      ]),
    ),
  ].join('');
}
