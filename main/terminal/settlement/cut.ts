/**
 * Cutting batches: each elapsed scheduled period holding unbatched entries becomes one
 * batch (more when it holds over MAX_BATCH_RECORDS records or voids), a manual close cuts
 * whatever is open now. The batch is signed in the cut's own transaction, so its id (the
 * idempotency key) and the exact bytes to upload are on disk before any upload.
 */
import type { LedgerStore } from '../../../db/ledger-store';
import type { CutBatch } from '../../../db/batches';
import { guarded } from '../../../db/errors';
import * as batches from '../../../db/batches';
import { PaymentRecord, SettlementBatch } from '../../../protocol';
import type { TerminalIdentity } from '../model';
import { nextBoundary, periodStartOf } from './periods';

export interface CutDeps {
  readonly ledger: LedgerStore;
  readonly identity: () => TerminalIdentity;
  readonly currency: () => number;
  readonly periodSeconds: () => number;
  readonly randomBytes: (size: number) => Uint8Array;
  /** Test hook: a smaller split than MAX_BATCH_RECORDS. */
  readonly maxEntries?: number;
}

function seal(deps: CutDeps, cut: CutBatch): Uint8Array {
  const identity = deps.identity();
  return SettlementBatch.sign(
    {
      batchId: cut.batch.batchId,
      merchantId: identity.merchantId,
      terminalId: identity.terminalId,
      currency: deps.currency(),
      periodStart: cut.batch.periodStart,
      periodEnd: cut.batch.periodEnd,
      records: cut.payments.map((p) => PaymentRecord.decode(p.record)),
      voids: cut.voids.map((v) => ({
        walletId: v.walletId,
        counter: v.counter,
        amount: v.amount,
        voidedAt: v.voidedAt,
      })),
      recordCount: cut.payments.length,
      total: cut.payments.reduce((sum, p) => sum + p.amount, 0),
      voidTotal: cut.voids.reduce((sum, v) => sum + v.amount, 0),
      chainHead: cut.batch.chainHead,
    },
    identity.signer,
  ).encoded;
}

function cutOne(
  deps: CutDeps,
  period: { start: number; end: number; storedBefore?: number },
  at: number,
): CutBatch {
  return deps.ledger.cutBatch({
    batchId: deps.randomBytes(16),
    periodStart: period.start,
    periodEnd: period.end,
    at,
    ...(period.storedBefore === undefined ? {} : { storedBefore: period.storedBefore }),
    ...(deps.maxEntries === undefined ? {} : { maxEntries: deps.maxEntries }),
    seal: (cut) => seal(deps, cut),
  });
}

/** The stored time of the oldest unbatched entry (payments: created_at, voids: voided_at). */
export function oldestUnbatched(ledger: LedgerStore): number | undefined {
  const value = guarded('reading the open period', () =>
    ledger.db
      .prepare(
        `SELECT min(at) FROM (SELECT min(created_at) AS at FROM payments WHERE batch_id IS NULL
           UNION ALL SELECT min(voided_at) FROM voids WHERE batch_id IS NULL)`,
      )
      .pluck()
      .get(),
  ) as number | null;
  return value ?? undefined;
}

/** The stored time of the first unbatched entry in chain order. */
function firstUnbatchedAt(ledger: LedgerStore): number | undefined {
  const value = guarded('reading the open period', () =>
    ledger.db
      .prepare(
        `SELECT at FROM (SELECT chain_seq, created_at AS at FROM payments WHERE batch_id IS NULL
           UNION ALL SELECT chain_seq, voided_at FROM voids WHERE batch_id IS NULL)
         ORDER BY chain_seq LIMIT 1`,
      )
      .pluck()
      .get(),
  ) as number | undefined;
  return value;
}

export function lastBatch(ledger: LedgerStore): batches.BatchRow | undefined {
  return guarded('reading batches', () => batches.allBatches(ledger.db).at(-1));
}

/** Cuts every elapsed scheduled period that holds entries, oldest first. */
export function cutDuePeriods(deps: CutDeps, now: number): CutBatch[] {
  const period = deps.periodSeconds();
  const current = periodStartOf(now, period);
  const cuts: CutBatch[] = [];
  for (;;) {
    // The first entry in chain order (a cut is a prefix of the chain, so it always takes
    // this one even when a clock set back stored later entries with earlier times).
    const first = firstUnbatchedAt(deps.ledger);
    if (first === undefined || first >= current) return cuts;
    const start = periodStartOf(first, period);
    const end = nextBoundary(first, period);
    const previous = lastBatch(deps.ledger);
    // After a manual close inside this period, the rest of it starts where that one ended.
    const resume = previous === undefined ? undefined : previous.periodEnd + 1;
    const from = resume !== undefined && resume > start && resume < end ? resume : start;
    cuts.push(cutOne(deps, { start: from, end: end - 1, storedBefore: end }, now));
  }
}

/** The manual close: everything unbatched now (split when too large). */
export function cutNow(deps: CutDeps, now: number, openStart: number): CutBatch[] {
  const cuts = [cutOne(deps, { start: openStart, end: now }, now)];
  while (firstUnbatchedAt(deps.ledger) !== undefined) {
    cuts.push(cutOne(deps, { start: openStart, end: now }, now));
  }
  return cuts;
}
