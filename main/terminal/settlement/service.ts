/**
 * The merchant's day end: periods on the platform's schedule (periods.ts) and a manual
 * close, each cut signed and stored before any upload (cut.ts), the upload queue (upload.ts)
 * and the results it applies (results.ts), the status with its deadline (status.ts).
 */
import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import * as batches from '../../../db/batches';
import { guarded } from '../../../db/errors';
import type { LedgerStore } from '../../../db/ledger-store';
import { PaymentRecord, SettlementBatch } from '../../../protocol';
import { TerminalError } from '../errors';
import type { TerminalClock, TerminalIdentity, TerminalParameters, TrustKey } from '../model';
import { cutDuePeriods, cutNow, lastBatch, oldestUnbatched, type CutDeps } from './cut';
import type { BatchSummary, ResultView, SettlementPublish } from './events';
import { nextBoundary, openPeriodStart } from './periods';
import { settlementStatus, type SettlementStatus } from './status';
import {
  DEFAULT_BACKOFF,
  uploadQueue,
  type Backoff,
  type Timers,
  type UploadOutcome,
} from './upload';
import { batchSummary, resultView } from './views';

export interface SettlementDeps {
  readonly ledger: LedgerStore;
  readonly identity: () => TerminalIdentity;
  readonly parameters: () => Pick<TerminalParameters, 'currency' | 'settlement'>;
  readonly trustKeys: () => readonly TrustKey[];
  /** POST /v1/settlement/batches (terminal-signed); resolves with the result envelope. */
  readonly uploadBatch: (envelope: Uint8Array) => Promise<Uint8Array>;
  readonly clock: TerminalClock;
  readonly publish: SettlementPublish;
  /** Default: the global timers. */
  readonly timers?: Timers;
  /** [0, 1) for the backoff's jitter; default Math.random. */
  readonly random?: () => number;
  /** Batch ids; default crypto.randomBytes. */
  readonly randomBytes?: (size: number) => Uint8Array;
  readonly backoff?: Partial<Backoff>;
  /** Test hook: split batches at this many records / voids instead of MAX_BATCH_RECORDS. */
  readonly maxEntries?: number;
  /** Called after each cut, in order (e.g. the reports service stores its Z report). */
  readonly onPeriodClosed?: (batch: BatchSummary) => void;
}

export interface SettlementService {
  /** Cuts what the schedule owes now, uploads, and keeps doing so at each period's end. */
  start(): void;
  stop(): void;
  /** Cuts every elapsed scheduled period holding entries (days offline: one per period). */
  runSchedule(): BatchSummary[];
  /** The manual close: one batch of everything open (more if over MAX_BATCH_RECORDS). */
  closePeriod(): BatchSummary[];
  /** Sends the waiting batches in order; one run at a time (a second call joins it). */
  upload(): Promise<UploadOutcome>;
  status(): SettlementStatus;
  /** Every batch, newest first. */
  batches(): BatchSummary[];
  result(batchIdHex: string): ResultView;
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
/** setTimeout's own limit is ~24.8 days; the schedule wakes at least hourly anyway. */
const MAX_WAKE_MS = 3_600_000;

export function createSettlementService(deps: SettlementDeps): SettlementService {
  const timers: Timers = deps.timers ?? {
    setTimeout: (callback, ms) => setTimeout(callback, ms),
    clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  };
  const random = deps.random ?? Math.random;
  const backoff: Backoff = { ...DEFAULT_BACKOFF, ...deps.backoff };
  const settlement = () => deps.parameters().settlement;
  const cutDeps: CutDeps = {
    ledger: deps.ledger,
    identity: deps.identity,
    currency: () => deps.parameters().currency,
    periodSeconds: () => settlement().periodSeconds,
    randomBytes: deps.randomBytes ?? ((size) => cryptoRandomBytes(size)),
    ...(deps.maxEntries === undefined ? {} : { maxEntries: deps.maxEntries }),
  };
  let running: Promise<UploadOutcome> | undefined;
  let lastUpload: UploadOutcome | null = null;
  let stopped = true;
  let wake: unknown;
  const sleepers = new Set<() => void>();

  const summary = (row: batches.BatchRow) =>
    batchSummary(deps.ledger.db, row, settlement().uploadWithinSeconds);

  function announce(cuts: readonly batches.CutBatch[]): BatchSummary[] {
    const summaries = cuts.map((cut) => summary(cut.batch));
    for (const batch of summaries) {
      deps.publish('settlement.period_closed', batch);
      deps.onPeriodClosed?.(batch);
    }
    return summaries;
  }

  function envelopeOf(batch: batches.BatchRow): Uint8Array {
    const stored = guarded('reading a batch', () =>
      batches.batchEnvelope(deps.ledger.db, batch.batchId),
    );
    if (stored !== undefined) return stored;
    // A batch cut before envelopes were stored: sign it once, keep the bytes for every retry.
    const entries = deps.ledger.batchEntries(batch.batchId);
    const identity = deps.identity();
    const encoded = SettlementBatch.sign(
      {
        batchId: batch.batchId,
        merchantId: identity.merchantId,
        terminalId: identity.terminalId,
        currency: deps.parameters().currency,
        periodStart: batch.periodStart,
        periodEnd: batch.periodEnd,
        records: entries.payments.map((p) => PaymentRecord.decode(p.record)),
        voids: entries.voids.map(({ walletId, counter, amount, voidedAt }) => ({
          walletId,
          counter,
          amount,
          voidedAt,
        })),
        recordCount: entries.payments.length,
        total: entries.payments.reduce((sum, p) => sum + p.amount, 0),
        voidTotal: entries.voids.reduce((sum, v) => sum + v.amount, 0),
        chainHead: batch.chainHead,
      },
      identity.signer,
    ).encoded;
    guarded('storing a batch envelope', () =>
      deps.ledger.db
        .prepare('UPDATE settlement_batches SET envelope = ? WHERE batch_id = ?')
        .run(Buffer.from(encoded), batch.batchId),
    );
    return encoded;
  }

  function sleep(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const cancel = () => {
        timers.clearTimeout(handle);
        resolve(true);
      };
      const handle = timers.setTimeout(() => {
        sleepers.delete(cancel);
        resolve(false);
      }, ms);
      sleepers.add(cancel);
    });
  }

  const service: SettlementService = {
    start() {
      if (!stopped) return;
      stopped = false;
      tick();
    },
    stop() {
      stopped = true;
      if (wake !== undefined) timers.clearTimeout(wake);
      wake = undefined;
      for (const cancel of [...sleepers]) cancel();
      sleepers.clear();
    },
    runSchedule() {
      return announce(cutDuePeriods(cutDeps, deps.clock.now()));
    },
    closePeriod() {
      const now = deps.clock.now();
      // What the schedule owes first, so an earlier period never lands in today's batch.
      const due = cutDuePeriods(cutDeps, now);
      const start = openPeriodStart({
        now,
        periodSeconds: settlement().periodSeconds,
        lastPeriodEnd: lastBatch(deps.ledger)?.periodEnd,
        oldestUnbatchedAt: oldestUnbatched(deps.ledger),
      });
      return announce([...due, ...cutNow(cutDeps, now, start)]);
    },
    upload() {
      running ??= uploadQueue({
        ledger: deps.ledger,
        identity: deps.identity,
        trustKeys: deps.trustKeys,
        uploadBatch: deps.uploadBatch,
        clock: deps.clock,
        publish: deps.publish,
        timers,
        random,
        backoff,
        envelopeOf,
        sleep,
      })
        .catch((error: unknown): UploadOutcome => ({
          // The ledger failing under the queue (disk full, …): reported, never thrown at a timer.
          state: 'failed',
          acknowledged: 0,
          pending: -1,
          batchId: null,
          code: error instanceof TerminalError ? error.code : 'ledger_error',
          message: error instanceof Error ? error.message : String(error),
          at: deps.clock.now(),
        }))
        .then((outcome) => {
          lastUpload = outcome;
          return outcome;
        })
        .finally(() => {
          running = undefined;
        });
      return running;
    },
    status() {
      return settlementStatus(
        deps.ledger,
        settlement(),
        deps.clock.now(),
        lastUpload ?? lastKnown(),
      );
    },
    batches() {
      return guarded('reading batches', () => batches.allBatches(deps.ledger.db))
        .reverse()
        .map(summary);
    },
    result(batchIdHex) {
      if (!/^[0-9a-f]{32}$/.test(batchIdHex)) {
        throw new TerminalError('bad_batch_id', 'a batch id is 32 lower-case hex digits');
      }
      const view = guarded('reading a result', () =>
        resultView(deps.ledger.db, Buffer.from(batchIdHex, 'hex')),
      );
      if (view === undefined) {
        throw new TerminalError('no_result', 'the platform has not answered this batch yet', {
          batchId: batchIdHex,
        });
      }
      return view;
    },
  };

  /** After a restart: the refusal on disk, if any (the in-memory outcome is gone). */
  function lastKnown(): UploadOutcome | null {
    const refused = guarded('reading batches', () => batches.openBatches(deps.ledger.db)).find(
      (b) => b.refusedCode !== null,
    );
    if (refused === undefined) return null;
    return {
      state: 'refused',
      acknowledged: 0,
      pending: batches.openBatches(deps.ledger.db).length,
      batchId: hex(refused.batchId),
      code: refused.refusedCode,
      message: refused.refusedMessage,
      at: refused.uploadedAt ?? refused.cutAt,
    };
  }

  /** Cut what is due, upload it, and wake again at the next boundary (at most hourly). */
  function tick(): void {
    if (stopped) return;
    const cut = service.runSchedule();
    const queue = guarded('reading open batches', () => batches.openBatches(deps.ledger.db));
    // A refused batch waits for the merchant (upload() by hand); failures are retried.
    if (cut.length > 0 || (queue.length > 0 && queue[0]?.refusedCode === null)) {
      void service.upload();
    }
    const now = deps.clock.now();
    const untilBoundary = (nextBoundary(now, settlement().periodSeconds) - now) * 1000;
    wake = timers.setTimeout(tick, Math.max(1_000, Math.min(untilBoundary, MAX_WAKE_MS)));
  }

  return service;
}
