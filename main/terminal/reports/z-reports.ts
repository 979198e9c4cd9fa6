/**
 * Z reports: when a settlement period closes its figures are fixed, numbered and stored with
 * the text printed (db/migrations/0005_z_reports.ts: immutable). Printing one again returns
 * the stored text, byte for byte, whatever happened to the ledger since.
 */
import type Database from 'better-sqlite3';
import { allBatches } from '../../../db/batches';
import { figures, figuresBy, inBatch, type Figures, type HourFigures } from './figures';
import { formatAmount } from './money';

export interface ZReport extends Figures {
  readonly number: number;
  readonly batchId: string;
  readonly periodStart: number;
  readonly periodEnd: number;
  readonly createdAt: number;
  readonly currency: number;
  readonly byHour: readonly HourFigures[];
  /** The report as printed: stored once, the same at every reprint. */
  readonly text: string;
}

interface ZRow {
  number: number;
  batchId: Buffer;
  periodStart: number;
  periodEnd: number;
  createdAt: number;
  figures: string;
  text: string;
}

const Z_COLUMNS = `number, batch_id AS batchId, period_start AS periodStart,
  period_end AS periodEnd, created_at AS createdAt, figures, text`;

const iso = (seconds: number): string => new Date(seconds * 1000).toISOString().replace('.000', '');

export function renderZ(report: Omit<ZReport, 'text'>, terminal: string): string {
  const money = (minor: number) => formatAmount(minor, report.currency);
  const lines = [
    `Z REPORT #${report.number}`,
    `Terminal ${terminal}`,
    `Period   ${iso(report.periodStart)} .. ${iso(report.periodEnd)}`,
    `Batch    ${report.batchId}`,
    `Payments ${report.count}  ${money(report.gross)}`,
    `Voids    ${report.voidCount}  -${money(report.voidTotal)}`,
    `Net      ${money(report.net)}`,
    ...report.byHour.map(
      (h) =>
        `  ${iso(h.hour).slice(0, 13)}h  ${h.count}  ${money(h.gross)}  -${money(h.voidTotal)}`,
    ),
    `Printed at close ${iso(report.createdAt)}`,
  ];
  return `${lines.join('\n')}\n`;
}

function fromRow(row: ZRow): ZReport {
  const stored = JSON.parse(row.figures) as Figures & { currency: number; byHour: HourFigures[] };
  return {
    ...stored,
    number: row.number,
    batchId: row.batchId.toString('hex'),
    periodStart: row.periodStart,
    periodEnd: row.periodEnd,
    createdAt: row.createdAt,
    text: row.text,
  };
}

/** Stores the Z report of every closed period that has none yet, in the order they closed. */
export function recordMissingZ(
  db: Database.Database,
  input: { at: number; currency: number; terminal: string; offsetSeconds: number },
): ZReport[] {
  return db
    .transaction(() => {
      const done = new Set(
        (db.prepare('SELECT batch_id FROM z_reports').pluck().all() as Buffer[]).map((b) =>
          b.toString('hex'),
        ),
      );
      const next = db.prepare('SELECT coalesce(max(number), 0) + 1 FROM z_reports').pluck();
      const insert = db.prepare(
        `INSERT INTO z_reports (number, batch_id, period_start, period_end, created_at, figures, text)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      );
      const made: ZReport[] = [];
      for (const batch of allBatches(db)) {
        if (done.has(batch.batchId.toString('hex'))) continue;
        const body = {
          ...figures(db, inBatch(batch.batchId)),
          currency: input.currency,
          byHour: figuresBy(db, inBatch(batch.batchId), 3600, input.offsetSeconds),
        };
        const report: Omit<ZReport, 'text'> = {
          ...body,
          number: next.get() as number,
          batchId: batch.batchId.toString('hex'),
          periodStart: batch.periodStart,
          periodEnd: batch.periodEnd,
          createdAt: input.at,
        };
        const text = renderZ(report, input.terminal);
        insert.run(
          report.number,
          batch.batchId,
          report.periodStart,
          report.periodEnd,
          report.createdAt,
          JSON.stringify(body),
          text,
        );
        made.push({ ...report, text });
      }
      return made;
    })
    .immediate();
}

export function zReports(db: Database.Database): ZReport[] {
  return (db.prepare(`SELECT ${Z_COLUMNS} FROM z_reports ORDER BY number`).all() as ZRow[]).map(
    fromRow,
  );
}

export function zReport(db: Database.Database, number: number): ZReport | undefined {
  const row = db.prepare(`SELECT ${Z_COLUMNS} FROM z_reports WHERE number = ?`).get(number) as
    ZRow | undefined;
  return row === undefined ? undefined : fromRow(row);
}
