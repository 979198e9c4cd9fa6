/**
 * Where settlement stands: the open period, the batches waiting, the forward deadline of
 * the oldest of them and the payments already past theirs (docs/protocol.md §3 liability:
 * a record uploaded more than periodSeconds + uploadWithinSeconds after its terminalTime
 * is at the terminal's risk for revocations made meanwhile).
 */
import * as batches from '../../../db/batches';
import { guarded } from '../../../db/errors';
import type { LedgerStore } from '../../../db/ledger-store';
import type { BatchSummary } from './events';
import { nextBoundary, openPeriodStart } from './periods';
import type { UploadOutcome } from './upload';
import { batchSummary } from './views';
import { lastBatch, oldestUnbatched } from './cut';

export interface OpenPeriod {
  readonly start: number;
  /** When the schedule closes it (the next boundary of periodSeconds). */
  readonly scheduledEnd: number;
  readonly count: number;
  readonly total: number;
  readonly voidCount: number;
  readonly voidTotal: number;
}

export interface SettlementStatus {
  readonly now: number;
  readonly openPeriod: OpenPeriod;
  /** Cut, not yet acknowledged, oldest first (a refused one says so). */
  readonly pending: readonly BatchSummary[];
  readonly lastUpload: UploadOutcome | null;
  /**
   * The oldest unsent batch's deadline (its periodEnd + uploadWithinSeconds), or the open
   * period's (scheduledEnd + uploadWithinSeconds) when nothing waits; secondsLeft < 0: late.
   */
  readonly deadline: {
    readonly at: number;
    readonly secondsLeft: number;
    readonly batchId: string | null;
  };
  /** Payments not yet acknowledged whose own deadline has passed: at the terminal's risk. */
  readonly stale: {
    readonly count: number;
    readonly amount: number;
    readonly oldestTerminalTime: number | null;
  };
}

export function settlementStatus(
  ledger: LedgerStore,
  settlement: { periodSeconds: number; uploadWithinSeconds: number },
  now: number,
  lastUpload: UploadOutcome | null,
): SettlementStatus {
  return guarded('reading the settlement status', () => {
    const db = ledger.db;
    const start = openPeriodStart({
      now,
      periodSeconds: settlement.periodSeconds,
      lastPeriodEnd: lastBatch(ledger)?.periodEnd,
      oldestUnbatchedAt: oldestUnbatched(ledger),
    });
    const open = db
      .prepare(
        `SELECT (SELECT count(*) FROM payments WHERE batch_id IS NULL) AS count,
           (SELECT coalesce(sum(amount), 0) FROM payments WHERE batch_id IS NULL) AS total,
           (SELECT count(*) FROM voids WHERE batch_id IS NULL) AS voidCount,
           (SELECT coalesce(sum(amount), 0) FROM voids WHERE batch_id IS NULL) AS voidTotal`,
      )
      .get() as Omit<OpenPeriod, 'start' | 'scheduledEnd'>;
    const scheduledEnd = nextBoundary(now, settlement.periodSeconds);
    const pending = batches
      .openBatches(db)
      .map((row) => batchSummary(db, row, settlement.uploadWithinSeconds));
    const oldest = pending[0];
    const deadlineAt = oldest?.deadline ?? scheduledEnd - 1 + settlement.uploadWithinSeconds;
    // Unacknowledged payments (open or in a waiting batch) past terminalTime + P + W.
    const stale = db
      .prepare(
        `SELECT count(*) AS count, coalesce(sum(p.amount), 0) AS amount,
           min(p.terminal_time) AS oldestTerminalTime
         FROM payments p LEFT JOIN settlement_batches b ON b.batch_id = p.batch_id
         WHERE (b.state IS NULL OR b.state <> 'acknowledged') AND p.status <> 'voided'
           AND p.terminal_time + ? < ?`,
      )
      .get(
        settlement.periodSeconds + settlement.uploadWithinSeconds,
        now,
      ) as SettlementStatus['stale'];
    return {
      now,
      openPeriod: { start, scheduledEnd, ...open },
      pending,
      lastUpload,
      deadline: { at: deadlineAt, secondsLeft: deadlineAt - now, batchId: oldest?.batchId ?? null },
      stale,
    };
  });
}
