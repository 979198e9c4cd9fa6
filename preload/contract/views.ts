/**
 * What the screens receive: the results of the API's methods and the payloads of its events.
 * Plain JSON data (money in integer minor units, times in unix seconds by the terminal's
 * clock, binary ids in lower-case hex), so the same values cross Electron IPC and WebSocket.
 */
import type { DeclineAction, DeclineCode } from './declines';
import type { TransportKind } from './rpc';

/** demo: embedded platform and emulated phones; enrolled: a real merchant's terminal. */
export type TerminalMode = 'demo' | 'enrolled' | 'unenrolled';

export interface AppInfo {
  readonly version: string;
  readonly mode: TerminalMode;
  readonly transport: TransportKind;
  readonly merchantId: string | null;
  readonly terminalId: string | null;
}

/**
 * Whether the terminal behind the transport answers yet. A host may serve the page before the
 * terminal has started (the demo world takes seconds): until `ready`, every other method is
 * answered `not_ready`, and `app.readiness` is published when the state changes.
 */
export interface AppReadiness {
  readonly state: 'starting' | 'ready' | 'failed';
  /** What is starting or running: the demo, or a merchant's terminal. */
  readonly mode: 'demo' | 'merchant';
  /** For `failed`: why, in one line. */
  readonly message: string | null;
}

export interface StatusEvent {
  readonly level: 'info' | 'warning' | 'error';
  readonly message: string;
  /** ISO 8601 time the main side raised it. */
  readonly at: string;
}

// ── readers ────────────────────────────────────────────────────────────────────────────────
export interface ReaderView {
  readonly name: string;
  readonly driver: 'emulated' | 'pcsc';
  readonly state: 'ready' | 'card_present' | 'busy' | 'error';
  readonly lastError: string | null;
}

export interface ReadersView {
  readonly readers: readonly ReaderView[];
  /** Whether the PC/SC stack loaded; `notice` says what is missing and how to get it. */
  readonly pcsc: { readonly available: boolean; readonly notice: string | null };
}

// ── checkout ───────────────────────────────────────────────────────────────────────────────
export type CheckoutState =
  | 'idle'
  | 'awaiting_tap'
  | 'reading'
  | 'verifying'
  | 'approved'
  | 'declined'
  | 'torn'
  | 'cancelled';

/** One check of the offline authorization, in the order made (shown in a payment's details). */
export interface VerificationStep {
  readonly check: string;
  readonly ok: boolean;
  readonly detail: string | null;
}

export interface DeclineView {
  readonly code: DeclineCode;
  readonly message: string;
  readonly action: DeclineAction;
  readonly detail: string | null;
}

export type PaymentStatus = 'approved' | 'voided' | 'settled' | 'rejected' | 'evidence';

export interface PaymentView {
  readonly paymentId: number;
  readonly walletId: string;
  readonly counter: number;
  readonly amount: number;
  readonly currency: number;
  readonly terminalTime: number;
  readonly status: PaymentStatus;
  /** The wallet's balance after this payment, as the wallet signed it. */
  readonly balanceAfter: number;
  /** Every payment is taken offline; receipts say so. */
  readonly offline: true;
}

export interface CheckoutView {
  readonly saleId: string;
  readonly state: CheckoutState;
  readonly amount: number;
  readonly currency: number;
  readonly readerName: string | null;
  readonly startedAt: number;
  readonly steps: readonly VerificationStep[];
  readonly decline: DeclineView | null;
  readonly payment: PaymentView | null;
}

// ── history ────────────────────────────────────────────────────────────────────────────────
export interface PaymentDetail extends PaymentView {
  readonly merchantId: string;
  readonly terminalId: string;
  readonly nonce: string;
  readonly batchId: string | null;
  readonly voidedAt: number | null;
  /** The platform's verdict once settled: accepted / duplicate / rejected / double_spend. */
  readonly settlement: { readonly status: string; readonly reason: string } | null;
  readonly steps: readonly VerificationStep[];
}

export interface PaymentsPage {
  readonly payments: readonly PaymentView[];
  readonly total: number;
}

// ── settlement ─────────────────────────────────────────────────────────────────────────────
export type BatchState = 'cut' | 'uploaded' | 'acknowledged' | 'refused';

export interface BatchView {
  readonly batchId: string;
  readonly periodStart: number;
  readonly periodEnd: number;
  readonly state: BatchState;
  readonly recordCount: number;
  readonly total: number;
  readonly voidCount: number;
  readonly voidTotal: number;
  readonly cutAt: number;
  readonly uploadedAt: number | null;
  readonly acknowledgedAt: number | null;
  readonly totalCredited: number | null;
  /** Why the platform refused the batch (its error code), when it did. */
  readonly refusal: string | null;
}

export interface SettlementEntryView {
  readonly kind: 'record' | 'void';
  readonly walletId: string;
  readonly counter: number;
  readonly amount: number;
  readonly status: string;
  readonly reason: string;
}

export interface BatchResultView {
  readonly batch: BatchView;
  readonly entries: readonly SettlementEntryView[];
  /** Entries not accepted, and the difference between what was expected and credited. */
  readonly discrepancies: readonly SettlementEntryView[];
  readonly expectedCredit: number;
  readonly totalCredited: number;
}

export interface SettlementStatus {
  readonly openPeriod: {
    readonly start: number;
    readonly end: number;
    readonly count: number;
    readonly total: number;
    readonly voidCount: number;
    readonly voidTotal: number;
  };
  readonly pending: readonly BatchView[];
  /** The oldest unsent batch's upload deadline; past it, its payments are at the merchant's risk. */
  readonly deadline: { readonly at: number; readonly secondsLeft: number } | null;
  readonly lastUpload: {
    readonly at: number;
    readonly outcome: 'ok' | 'retrying' | 'refused' | 'failed';
    readonly message: string;
  } | null;
  readonly uploading: boolean;
}

export interface SettlementProgress {
  readonly batchId: string;
  /** failed: not sent after its attempts (unreachable, timeout, …); the batch stays pending. */
  readonly state: 'uploading' | 'retrying' | 'acknowledged' | 'refused' | 'failed';
  readonly attempt: number;
  readonly nextRetryAt: number | null;
  /** Batches done / total of this upload run. */
  readonly done: number;
  readonly of: number;
  readonly message: string;
}

// ── reports ────────────────────────────────────────────────────────────────────────────────
export interface SalesBucket {
  /** Start of the hour or day (unix seconds, terminal's local time zone). */
  readonly start: number;
  readonly count: number;
  readonly total: number;
}

export interface PeriodReport {
  readonly kind: 'X' | 'Z';
  /** Z reports are numbered 1, 2, 3, … and never change once made. */
  readonly number: number | null;
  readonly periodStart: number;
  readonly periodEnd: number;
  readonly generatedAt: number;
  readonly currency: number;
  readonly count: number;
  readonly gross: number;
  readonly voidCount: number;
  readonly voidTotal: number;
  readonly net: number;
  readonly byHour: readonly SalesBucket[];
}

export interface CsvExport {
  readonly fileName: string;
  readonly content: string;
}

// ── enrollment, sync, settings ─────────────────────────────────────────────────────────────
export interface TerminalParametersView {
  readonly currency: number;
  readonly limitPerPayment: number;
  readonly limitOfflineAmount: number;
  readonly limitOfflineCount: number;
  readonly freshnessMaxAgeSeconds: number;
  readonly hotlistMaxAgeSeconds: number;
  readonly settlement: { readonly periodSeconds: number; readonly uploadWithinSeconds: number };
}

export interface EnrollmentView {
  readonly mode: TerminalMode;
  readonly merchantId: string | null;
  readonly terminalId: string | null;
  readonly platformUrl: string | null;
  readonly certificate: {
    readonly serial: number;
    readonly validFrom: number;
    readonly validUntil: number;
  } | null;
  readonly suspended: boolean;
  /** Where the private key is sealed: Electron safeStorage or a 0600 file. */
  readonly keyProtection: 'safe-storage' | 'file' | null;
}

/** How the sync right after enrolling went; a failure is retried on the sync schedule. */
export type FirstSyncView =
  { readonly ok: true } | { readonly ok: false; readonly code: string; readonly message: string };

/** `enrollment.enroll`'s answer: the enrollment, and its first sync's outcome. */
export interface EnrolledView extends EnrollmentView {
  readonly firstSync: FirstSyncView;
}

export interface SyncView {
  readonly lastSyncAt: number | null;
  readonly lastOutcome: string | null;
  readonly hotlist: {
    readonly version: number;
    readonly issuedAt: number | null;
    readonly ageSeconds: number | null;
    readonly entries: number;
  };
  readonly canTakePayments: boolean;
  /** Why payments are refused now (not enrolled, suspended, certificate expired, hotlist stale). */
  readonly notReadyReason: string | null;
  readonly parameters: TerminalParametersView | null;
}

export type Language = 'en' | 'zh-CN';
export type Theme = 'light' | 'dark' | 'system';

export interface SettingsView {
  readonly language: Language;
  readonly theme: Theme;
}

export interface BackupView {
  readonly path: string;
  readonly bytes: number;
  readonly at: number;
}

// ── demo ───────────────────────────────────────────────────────────────────────────────────
export interface DemoPhoneView {
  readonly phoneId: string;
  readonly label: string;
  readonly imei: string;
  readonly imsi: string;
  readonly powered: boolean;
  readonly signal: boolean;
  /** The wallet's state as the phone shows it (active, locked, temp_locked_*, wiped, …). */
  readonly walletState: string;
  readonly walletId: string | null;
  readonly balance: number;
  readonly currency: number;
  readonly counter: number;
  readonly onReader: boolean;
  readonly log: readonly {
    readonly counter: number;
    readonly amount: number;
    readonly terminalId: string;
    readonly terminalTime: number;
  }[];
  /**
   * S10: the wallet's balance as the platform's ledger holds it, read when the phone last
   * synced through the panel (absent before that): after a settlement it equals `balance`.
   */
  readonly platformBalance?: number;
}

/** Keys of the demo's own journal notes (the renderer's `journal` texts). */
export type DemoNoteKey =
  | 'phone_activated'
  | 'unlock_refused'
  | 'unlock_rate_limited'
  | 'clone_made'
  | 'clone_paid'
  | 'clone_declined'
  | 'terminal2_settled'
  | 'platform_confirmed';

/**
 * What a demo action did that no phone's state shows (an activation's details, a refused
 * unlock, a step at the second terminal): numbered, so a listener adds each once.
 */
export interface DemoNote {
  readonly id: number;
  readonly key: DemoNoteKey;
  readonly phone: string;
  readonly values: Readonly<Record<string, string | number>>;
}

export interface DemoView {
  readonly phones: readonly DemoPhoneView[];
  /** The demo's clock (terminal, phones and platform share it) and how far it was moved. */
  readonly clock: { readonly now: number; readonly offsetSeconds: number };
  readonly timers: { readonly T: number; readonly T1: number; readonly T2: number };
  /** Whether the terminal and the phones can reach the embedded platform (demo.platform). */
  readonly platformOnline: boolean;
  /** The latest notes, oldest first (a short rolling window). */
  readonly notes?: readonly DemoNote[];
}
