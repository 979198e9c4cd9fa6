/**
 * The upload queue: unacknowledged batches, oldest first, strictly one after the other (the
 * platform checks that each batch continues the chain of the one before). Transient
 * failures (network, timeout, server_error, rate_limited) are retried with exponential
 * backoff and jitter, Retry-After honoured; each retry sends the same stored bytes, so an
 * answer lost after the platform committed is answered again with the stored result. A
 * refusal stops the queue at that batch, which is kept with the platform's code.
 */
import * as batches from '../../../db/batches';
import { guarded, isLedgerError } from '../../../db/errors';
import type { LedgerStore } from '../../../db/ledger-store';
import { TerminalError } from '../errors';
import type { TerminalClock, TerminalIdentity, TrustKey } from '../model';
import type { SettlementPublish, UploadProgress, UploadState } from './events';
import { applyResult, openResult } from './results';
import { resultView } from './views';

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface Backoff {
  /** First retry after about this long (halved at most by jitter). */
  readonly baseMs: number;
  readonly maxMs: number;
  /** Attempts per batch in one upload() before it gives up (state `failed`). */
  readonly maxAttempts: number;
}

export const DEFAULT_BACKOFF: Backoff = { baseMs: 1_000, maxMs: 300_000, maxAttempts: 8 };

/** Codes of the platform client worth another try; anything else stops the queue. */
const RETRYABLE = new Set(['network', 'timeout', 'server_error', 'rate_limited']);

export interface UploadDeps {
  readonly ledger: LedgerStore;
  readonly identity: () => TerminalIdentity;
  readonly trustKeys: () => readonly TrustKey[];
  readonly uploadBatch: (envelope: Uint8Array) => Promise<Uint8Array>;
  readonly clock: TerminalClock;
  readonly publish: SettlementPublish;
  readonly timers: Timers;
  readonly random: () => number;
  readonly backoff: Backoff;
  /** The envelope stored at the cut (signing it now if the batch predates that). */
  readonly envelopeOf: (batch: batches.BatchRow) => Uint8Array;
  /** Resolves early (true) when the service stops. */
  readonly sleep: (ms: number) => Promise<boolean>;
}

export interface UploadOutcome {
  /** done: nothing left to send; refused / failed: the queue stopped at `batchId`. */
  readonly state: 'done' | 'refused' | 'failed';
  /** Batches acknowledged by this call. */
  readonly acknowledged: number;
  /** Batches still unacknowledged. */
  readonly pending: number;
  readonly batchId: string | null;
  readonly code: string | null;
  readonly message: string | null;
  readonly at: number;
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

export function retryDelayMs(
  attempt: number,
  backoff: Backoff,
  random: () => number,
  retryAfterSeconds: unknown,
): number {
  const ceiling = Math.min(backoff.maxMs, backoff.baseMs * 2 ** (attempt - 1));
  const jittered = Math.round(ceiling / 2 + (random() * ceiling) / 2);
  const asked =
    typeof retryAfterSeconds === 'number' && Number.isFinite(retryAfterSeconds)
      ? Math.max(0, retryAfterSeconds) * 1000
      : 0;
  return Math.max(jittered, asked);
}

function failure(error: unknown): {
  code: string;
  message: string;
  details: Readonly<Record<string, unknown>>;
} {
  if (error instanceof TerminalError) {
    return { code: error.code, message: error.message, details: error.details ?? {} };
  }
  if (isLedgerError(error)) {
    return { code: 'ledger_error', message: error.message, details: { ledger: error.code } };
  }
  return {
    code: 'failed',
    message: error instanceof Error ? error.message : String(error),
    details: {},
  };
}

export async function uploadQueue(deps: UploadDeps): Promise<UploadOutcome> {
  let acknowledged = 0;
  const outcome = (
    state: UploadOutcome['state'],
    batchId: string | null,
    code: string | null = null,
    message: string | null = null,
  ): UploadOutcome => ({
    state,
    acknowledged,
    pending: guarded('reading open batches', () => batches.openBatches(deps.ledger.db)).length,
    batchId,
    code,
    message,
    at: deps.clock.now(),
  });

  for (;;) {
    const batch = guarded('reading open batches', () => batches.openBatches(deps.ledger.db))[0];
    if (batch === undefined) return outcome('done', null);
    const batchId = hex(batch.batchId);
    const progress = (
      attempt: number,
      state: UploadState,
      extra: Partial<Pick<UploadProgress, 'nextRetryAt' | 'code' | 'message'>> = {},
    ) =>
      deps.publish('settlement.progress', {
        batchId,
        seq: batch.seq,
        attempt,
        state,
        nextRetryAt: extra.nextRetryAt ?? null,
        code: extra.code ?? null,
        message: extra.message ?? null,
      });
    const envelope = deps.envelopeOf(batch);

    for (let attempt = 1; ; attempt++) {
      progress(attempt, 'uploading');
      let answer: Uint8Array;
      try {
        deps.ledger.markUploaded(batch.batchId, deps.clock.now());
        answer = await deps.uploadBatch(envelope);
      } catch (error) {
        const { code, message, details } = failure(error);
        if (code === 'refused') {
          const platformCode =
            typeof details['platformCode'] === 'string' ? details['platformCode'] : 'refused';
          guarded('recording a refusal', () =>
            batches.markRefused(deps.ledger.db, batch.batchId, { code: platformCode, message }),
          );
          progress(attempt, 'refused', { code: platformCode, message });
          return outcome('refused', batchId, platformCode, message);
        }
        if (RETRYABLE.has(code) && attempt < deps.backoff.maxAttempts) {
          const delay = retryDelayMs(attempt, deps.backoff, deps.random, details.retryAfterSeconds);
          const nextRetryAt = deps.clock.now() + Math.ceil(delay / 1000);
          progress(attempt, 'retrying', { nextRetryAt, code, message });
          if (await deps.sleep(delay))
            return outcome('failed', batchId, 'stopped', 'settlement stopped');
          continue;
        }
        progress(attempt, 'failed', { code, message });
        return outcome('failed', batchId, code, message);
      }
      try {
        const result = openResult(answer, deps.trustKeys(), deps.clock.now());
        applyResult(deps.ledger, {
          batchId: batch.batchId,
          terminalId: deps.identity().terminalId,
          entries: deps.ledger.batchEntries(batch.batchId),
          result,
          at: deps.clock.now(),
        });
      } catch (error) {
        const { code, message } = failure(error);
        progress(attempt, 'failed', { code, message });
        return outcome('failed', batchId, code, message);
      }
      acknowledged += 1;
      progress(attempt, 'acknowledged');
      const view = resultView(deps.ledger.db, batch.batchId);
      if (view !== undefined) deps.publish('settlement.result', view);
      break;
    }
  }
}
