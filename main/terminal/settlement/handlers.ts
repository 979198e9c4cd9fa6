// The settlement screen's methods of the contract, and its events as the contract shapes them.
import type {
  BatchResultView,
  BatchView,
  SettlementProgress,
  SettlementStatus as StatusView,
} from '../api/contract-types';
import type { Handlers } from '../api/dispatch';
import { TerminalError } from '../errors';
import type { BatchSummary, EntryResult, ResultView, UploadProgress } from './events';
import type { SettlementService } from './service';
import type { SettlementStatus } from './status';

export function batchView(batch: BatchSummary, result?: ResultView): BatchView {
  return {
    batchId: batch.batchId,
    periodStart: batch.periodStart,
    periodEnd: batch.periodEnd,
    state: batch.refused !== null && batch.state !== 'acknowledged' ? 'refused' : batch.state,
    recordCount: batch.recordCount,
    total: batch.total,
    voidCount: batch.voidCount,
    voidTotal: batch.voidTotal,
    cutAt: batch.cutAt,
    uploadedAt: batch.uploadedAt,
    acknowledgedAt: batch.acknowledgedAt,
    totalCredited: result?.totalCredited ?? null,
    refusal: batch.refused?.code ?? null,
  };
}

const entryView = (entry: EntryResult) => ({ ...entry, status: String(entry.status) });

/** The reason first (e.g. the platform address that did not answer), then code and batch. */
function uploadMessage(last: NonNullable<SettlementStatus['lastUpload']>): string {
  if (last.state === 'done') return `${last.acknowledged} batch(es) acknowledged`;
  const code = last.code ?? last.state;
  return `${last.message ?? code} (${code}, batch ${last.batchId?.slice(0, 8) ?? '—'})`;
}

export function statusView(status: SettlementStatus, uploading: boolean): StatusView {
  const last = status.lastUpload;
  return {
    openPeriod: {
      start: status.openPeriod.start,
      end: status.openPeriod.scheduledEnd,
      count: status.openPeriod.count,
      total: status.openPeriod.total,
      voidCount: status.openPeriod.voidCount,
      voidTotal: status.openPeriod.voidTotal,
    },
    pending: status.pending.map((b) => batchView(b)),
    deadline: { at: status.deadline.at, secondsLeft: status.deadline.secondsLeft },
    lastUpload:
      last === null
        ? null
        : {
            at: last.at,
            outcome: last.state === 'done' ? 'ok' : last.state,
            message: uploadMessage(last),
          },
    uploading,
  };
}

export function progressView(
  progress: UploadProgress,
  done: number,
  of: number,
): SettlementProgress {
  return {
    batchId: progress.batchId,
    state: progress.state,
    attempt: progress.attempt,
    nextRetryAt: progress.nextRetryAt,
    done,
    of,
    message: progress.message ?? progress.code ?? progress.state,
  };
}

export function settlementHandlers(
  settlement: () => SettlementService,
  uploading: () => boolean,
  upload: () => Promise<unknown>,
): Pick<
  Handlers,
  | 'settlement.status'
  | 'settlement.close'
  | 'settlement.upload'
  | 'settlement.batches'
  | 'settlement.result'
> {
  const result = (batchId: string): BatchResultView => {
    const service = settlement();
    // Whether the batch exists first: an unknown id is not one awaiting its answer.
    const batch = service.batches().find((b) => b.batchId === batchId);
    if (batch === undefined) throw new TerminalError('unknown_batch', `no batch ${batchId}`);
    const view = service.result(batchId);
    return {
      batch: batchView(batch, view),
      entries: view.entries.map(entryView),
      discrepancies: view.discrepancies.map(entryView),
      expectedCredit: view.expectedCredited,
      totalCredited: view.totalCredited,
    };
  };
  return {
    'settlement.status': () => statusView(settlement().status(), uploading()),
    'settlement.close': () => {
      const cut = settlement().closePeriod();
      const last = cut.at(-1);
      return last === undefined ? null : batchView(last);
    },
    'settlement.upload': async () => {
      await upload();
      return statusView(settlement().status(), uploading());
    },
    'settlement.batches': ({ limit }) => {
      const service = settlement();
      // An acknowledged batch shows what the platform credited, as its result does.
      return service
        .batches()
        .slice(0, limit)
        .map((b) =>
          batchView(b, b.state === 'acknowledged' ? service.result(b.batchId) : undefined),
        );
    },
    'settlement.result': ({ batchId }) => result(batchId),
  };
}
