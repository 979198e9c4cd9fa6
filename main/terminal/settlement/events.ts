/**
 * What the settlement service tells the screens. Money in integer minor units, times in
 * unix seconds of the terminal's clock, ids as lower-case hex.
 */
import type { Outcome } from '../../../db/settlement-results';

export type BatchState = 'cut' | 'uploaded' | 'acknowledged';

export interface BatchSummary {
  readonly batchId: string;
  /** 1, 2, …: the order batches are cut and uploaded in. */
  readonly seq: number;
  readonly periodStart: number;
  readonly periodEnd: number;
  readonly state: BatchState;
  readonly cutAt: number;
  readonly uploadedAt: number | null;
  readonly acknowledgedAt: number | null;
  readonly recordCount: number;
  readonly total: number;
  readonly voidCount: number;
  readonly voidTotal: number;
  /** periodEnd + uploadWithinSeconds: upload before it (liability, docs/protocol.md §3). */
  readonly deadline: number;
  /** The platform's refusal, when it refused this batch (it waits, unacknowledged). */
  readonly refused: { readonly code: string; readonly message: string } | null;
  readonly chainHead: string;
}

export interface EntryResult {
  readonly kind: 'record' | 'void';
  readonly walletId: string;
  readonly counter: number;
  readonly amount: number;
  readonly status: Outcome;
  /** `none` unless rejected (or a double-spend not honoured). */
  readonly reason: string;
}

export interface ResultView {
  readonly batchId: string;
  readonly settledAt: number;
  readonly receivedAt: number;
  readonly totalCredited: number;
  /** Records of the batch − voids of those records, had every entry been accepted. */
  readonly expectedCredited: number;
  /** Voids of earlier batches' payments, debited besides totalCredited. */
  readonly voidsDebited: number;
  /** totalCredited − expectedCredited (0 when the platform credited everything). */
  readonly creditDifference: number;
  readonly entries: readonly EntryResult[];
  /** Every record or void not accepted. */
  readonly discrepancies: readonly EntryResult[];
}

export type UploadState =
  | 'uploading'
  | 'retrying' // a transient failure; nextRetryAt says when
  | 'acknowledged'
  | 'refused' // the platform refused the batch: the queue stops here
  | 'failed'; // retries used up, a bad answer or a bad result: the queue stops, nothing lost

export interface UploadProgress {
  readonly batchId: string;
  readonly seq: number;
  readonly attempt: number;
  readonly state: UploadState;
  readonly nextRetryAt: number | null;
  /** The transport's or the platform's code for a failure. */
  readonly code: string | null;
  readonly message: string | null;
}

export interface SettlementEvents {
  'settlement.period_closed': BatchSummary;
  'settlement.progress': UploadProgress;
  'settlement.result': ResultView;
}

export type SettlementPublish = <E extends keyof SettlementEvents>(
  event: E,
  payload: SettlementEvents[E],
) => void;
