/**
 * The figures every report is made of, summed by SQLite over the ledger. Gross counts every
 * payment taken (voided ones too); voids are counted where they were made (a void of an
 * earlier period's payment lowers this period's net); net = gross − voids.
 */
import type Database from 'better-sqlite3';

export interface Figures {
  readonly count: number;
  readonly gross: number;
  readonly voidCount: number;
  readonly voidTotal: number;
  readonly net: number;
}

export interface HourFigures extends Figures {
  /** Start of the hour, unix seconds. */
  readonly hour: number;
}

/** A selection of payments and voids: SQL conditions over each table, with their values. */
export interface Selection {
  readonly payments: string;
  readonly voids: string;
  readonly params: readonly unknown[];
}

export const openPeriod: Selection = {
  payments: 'batch_id IS NULL',
  voids: 'batch_id IS NULL',
  params: [],
};

export const inBatch = (batchId: Uint8Array): Selection => ({
  payments: 'batch_id = ?',
  voids: 'batch_id = ?',
  params: [Buffer.from(batchId)],
});

/** Payments taken (terminalTime) and voids made (voidedAt) in [from, to). */
export const inSpan = (from: number, to: number): Selection => ({
  payments: 'terminal_time >= ? AND terminal_time < ?',
  voids: 'voided_at >= ? AND voided_at < ?',
  params: [from, to],
});

export function figures(db: Database.Database, selection: Selection): Figures {
  const row = db
    .prepare(
      `SELECT
         (SELECT count(*) FROM payments WHERE ${selection.payments}) AS count,
         (SELECT coalesce(sum(amount), 0) FROM payments WHERE ${selection.payments}) AS gross,
         (SELECT count(*) FROM voids WHERE ${selection.voids}) AS voidCount,
         (SELECT coalesce(sum(amount), 0) FROM voids WHERE ${selection.voids}) AS voidTotal`,
    )
    .get(
      ...selection.params,
      ...selection.params,
      ...selection.params,
      ...selection.params,
    ) as Omit<Figures, 'net'>;
  return { ...row, net: row.gross - row.voidTotal };
}

/**
 * Figures per `bucketSeconds` (3600: hours, 86400: days) of local time, `offsetSeconds`
 * east of UTC; only buckets holding something, in time order.
 */
export function figuresBy(
  db: Database.Database,
  selection: Selection,
  bucketSeconds: number,
  offsetSeconds: number,
): HourFigures[] {
  const bucket = (column: string) =>
    `((${column} + ${offsetSeconds}) / ${bucketSeconds}) * ${bucketSeconds} - ${offsetSeconds}`;
  const rows = db
    .prepare(
      `SELECT hour, sum(count) AS count, sum(gross) AS gross, sum(voidCount) AS voidCount,
         sum(voidTotal) AS voidTotal
       FROM (
         SELECT ${bucket('terminal_time')} AS hour, 1 AS count, amount AS gross,
           0 AS voidCount, 0 AS voidTotal FROM payments WHERE ${selection.payments}
         UNION ALL
         SELECT ${bucket('voided_at')}, 0, 0, 1, amount FROM voids WHERE ${selection.voids}
       ) GROUP BY hour ORDER BY hour`,
    )
    .all(...selection.params, ...selection.params) as Omit<HourFigures, 'net'>[];
  return rows.map((row) => ({ ...row, net: row.gross - row.voidTotal }));
}
