/** Batches and results as the screens see them (hex ids, figures summed by SQLite). */
import type Database from 'better-sqlite3';
import type { BatchRow } from '../../../db/batches';
import { batchOutcomes, storedResult } from '../../../db/settlement-results';
import type { BatchSummary, EntryResult, ResultView } from './events';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

interface Figures {
  recordCount: number;
  total: number;
  voidCount: number;
  voidTotal: number;
}

function figures(db: Database.Database, batchId: Buffer): Figures {
  return db
    .prepare(
      `SELECT (SELECT count(*) FROM payments WHERE batch_id = @id) AS recordCount,
         (SELECT coalesce(sum(amount), 0) FROM payments WHERE batch_id = @id) AS total,
         (SELECT count(*) FROM voids WHERE batch_id = @id) AS voidCount,
         (SELECT coalesce(sum(amount), 0) FROM voids WHERE batch_id = @id) AS voidTotal`,
    )
    .get({ id: batchId }) as Figures;
}

export function batchSummary(
  db: Database.Database,
  row: BatchRow,
  uploadWithinSeconds: number,
): BatchSummary {
  return {
    batchId: hex(row.batchId),
    seq: row.seq,
    periodStart: row.periodStart,
    periodEnd: row.periodEnd,
    state: row.state,
    cutAt: row.cutAt,
    uploadedAt: row.uploadedAt,
    acknowledgedAt: row.acknowledgedAt,
    ...figures(db, row.batchId),
    deadline: row.periodEnd + uploadWithinSeconds,
    refused:
      row.refusedCode === null
        ? null
        : { code: row.refusedCode, message: row.refusedMessage ?? '' },
    chainHead: hex(row.chainHead),
  };
}

export function resultView(db: Database.Database, batchId: Uint8Array): ResultView | undefined {
  const stored = storedResult(db, batchId);
  if (stored === undefined) return undefined;
  const entries: EntryResult[] = batchOutcomes(db, batchId).map((row) => ({
    kind: row.kind,
    walletId: hex(row.walletId),
    counter: row.counter,
    amount: row.amount,
    status: row.outcome ?? 'rejected',
    reason: row.reason ?? 'none',
  }));
  return {
    batchId: hex(stored.batchId),
    settledAt: stored.settledAt,
    receivedAt: stored.receivedAt,
    totalCredited: stored.totalCredited,
    expectedCredited: stored.expectedCredited,
    voidsDebited: stored.voidsDebited,
    creditDifference: stored.totalCredited - stored.expectedCredited,
    entries,
    discrepancies: entries.filter((entry) => entry.status !== 'accepted'),
  };
}
