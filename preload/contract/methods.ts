/**
 * Every method of the terminal's API: its parameters as a zod schema (the main side parses
 * untrusted input with it before any service sees it) and its result type. The renderer
 * imports the types only, so zod never reaches its bundle.
 */
import { z } from 'zod';
import { isKnownCurrency } from './currencies';
import type {
  AppInfo,
  AppReadiness,
  BackupView,
  BatchResultView,
  BatchView,
  CheckoutView,
  CsvExport,
  DemoView,
  EnrollmentView,
  EnrolledView,
  PaymentDetail,
  PaymentsPage,
  PaymentView,
  PeriodReport,
  ReadersView,
  SalesBucket,
  SettingsView,
  SettlementStatus,
  SyncView,
} from './views';

const none = z
  .undefined()
  .or(z.null())
  .transform(() => undefined);
/** Unix seconds; within what a 32-bit protocol time field holds. */
const time = z.number().int().min(0).max(0xffff_ffff);
/** An amount in minor units: at least 1, at most what the protocol's fields carry exactly. */
const amount = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
const currency = z
  .number()
  .int()
  .refine(isKnownCurrency, { message: 'not a currency this terminal knows (ISO 4217 numeric)' });
const hex = (bytes: number) =>
  z.string().regex(new RegExp(`^[0-9a-f]{${bytes * 2}}$`), `${bytes} bytes as lower-case hex`);
const paymentId = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
const readerName = z.string().min(1).max(200);
const range = z
  .object({ from: time, to: time })
  .strict()
  .refine((r) => r.from <= r.to, { message: '"from" must not be after "to"', path: ['from'] });

export const DEMO_ACTIONS = [
  'tap',
  'pull_away',
  'tear_next',
  'swap_sim',
  'swap_device',
  'power_off',
  'power_on',
  'signal_off',
  'signal_on',
  'sync',
  'report_lost',
  'unlock',
  'reactivate',
  'top_up',
  'unlock_wrong',
  'clone_spend',
] as const;
export type DemoAction = (typeof DEMO_ACTIONS)[number];

/** The demo's forged cards (main/demo/forgeries): each one a decline only tampering causes. */
export const DEMO_FORGERIES = [
  'transit_card',
  'future_protocol',
  'blank_wallet',
  'disabled_wallet',
  'unknown_issuer',
  'certificate_flipped',
  'certificate_expired',
  'foreign_currency',
  'other_wallet_certificate',
  'freshness_flipped',
  'freshness_future',
  'record_flipped',
  'echo_previous_sale',
  'clone_with_newer_token',
  'truncated_answer',
  'refuses_terminal',
  'heard_suspension',
  'card_fault',
  'strict_limit_certificate',
] as const;
export type DemoForgery = (typeof DEMO_FORGERIES)[number];

/** Parameter schemas, by method name. A method without parameters takes none (or null). */
export const METHOD_PARAMS = {
  'app.info': none,
  /** Back to demo mode from a merchant's terminal, or to the merchant's (once enrolled). */
  'app.setMode': z.object({ mode: z.enum(['demo', 'merchant']) }).strict(),

  'readers.list': none,

  'checkout.start': z
    .object({ amount, currency: currency.optional(), readerName: readerName.optional() })
    .strict(),
  'checkout.cancel': z.object({ saleId: z.string().min(1).max(64) }).strict(),
  'checkout.current': none,

  'payments.list': z
    .object({
      from: time.optional(),
      to: time.optional(),
      status: z.enum(['approved', 'voided', 'settled', 'rejected', 'evidence']).optional(),
      walletId: hex(16).optional(),
      limit: z.number().int().min(1).max(500).default(100),
      offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
    })
    .strict(),
  'payments.get': z.object({ paymentId }).strict(),
  'payments.void': z.object({ paymentId }).strict(),

  'settlement.status': none,
  'settlement.close': none,
  'settlement.upload': none,
  'settlement.batches': z
    .object({ limit: z.number().int().min(1).max(500).default(50) })
    .strict()
    .optional()
    .transform((p) => p ?? { limit: 50 }),
  'settlement.result': z.object({ batchId: hex(16) }).strict(),

  'reports.x': none,
  'reports.z': z.object({ number: z.number().int().min(1) }).strict(),
  'reports.zList': none,
  'reports.salesByHour': z.object({ day: time }).strict(),
  'reports.salesByDay': range,
  'reports.csv': range,

  'enrollment.status': none,
  'enrollment.enroll': z
    .object({
      platformUrl: z
        .url({ protocol: /^https?$/, message: 'an http(s) address of the platform' })
        .max(2000),
      code: z.string().trim().min(4).max(200),
    })
    .strict(),

  'sync.status': none,
  'sync.now': none,

  'settings.get': none,
  'settings.set': z
    .object({
      language: z.enum(['en', 'zh-CN']).optional(),
      theme: z.enum(['light', 'dark', 'system']).optional(),
    })
    .strict(),

  'backup.create': z.object({ path: z.string().min(1).max(4096) }).strict(),
  'backup.restore': z.object({ path: z.string().min(1).max(4096) }).strict(),

  'demo.state': none,
  'demo.action': z
    .object({
      phoneId: z.string().min(1).max(64),
      action: z.enum(DEMO_ACTIONS),
      amount: amount.optional(),
    })
    .strict(),
  'demo.timeTravel': z
    .object({
      seconds: z
        .number()
        .int()
        .min(1)
        .max(400 * 24 * 3600),
    })
    .strict(),
  /** A forged card on the demo reader: a demo phone's answers tampered (or no wallet at all). */
  'demo.forgedTap': z
    .object({ phoneId: z.string().min(1).max(64).optional(), forgery: z.enum(DEMO_FORGERIES) })
    .strict(),
  /** Takes the embedded platform off the network for the terminal and phones, or back. */
  'demo.platform': z.object({ online: z.boolean() }).strict(),
  /** Answered while the terminal is still starting, when every other method is not_ready. */
  'app.readiness': none,
  /** S1: a new user registered and a new phone activated through the platform's API. */
  'demo.addPhone': z.object({ label: z.string().trim().min(1).max(40) }).strict(),
} as const;

export type ApiMethodName = keyof typeof METHOD_PARAMS;

/** What each method resolves with. */
export interface ApiResults {
  'app.info': AppInfo;
  'app.setMode': AppInfo;
  'readers.list': ReadersView;
  'checkout.start': CheckoutView;
  'checkout.cancel': CheckoutView;
  'checkout.current': CheckoutView | null;
  'payments.list': PaymentsPage;
  'payments.get': PaymentDetail;
  'payments.void': PaymentView;
  'settlement.status': SettlementStatus;
  'settlement.close': BatchView | null;
  'settlement.upload': SettlementStatus;
  'settlement.batches': readonly BatchView[];
  'settlement.result': BatchResultView;
  'reports.x': PeriodReport;
  'reports.z': PeriodReport;
  'reports.zList': readonly PeriodReport[];
  'reports.salesByHour': readonly SalesBucket[];
  'reports.salesByDay': readonly SalesBucket[];
  'reports.csv': CsvExport;
  'enrollment.status': EnrollmentView;
  'enrollment.enroll': EnrolledView;
  'sync.status': SyncView;
  'sync.now': SyncView;
  'settings.get': SettingsView;
  'settings.set': SettingsView;
  'backup.create': BackupView;
  'backup.restore': BackupView;
  'demo.state': DemoView;
  'demo.action': DemoView;
  'demo.timeTravel': DemoView;
  'demo.forgedTap': DemoView;
  'demo.platform': DemoView;
  'app.readiness': AppReadiness;
  'demo.addPhone': DemoView;
}

/** What the caller sends (before defaults), by method name. */
export type ApiParams<M extends ApiMethodName> = z.input<(typeof METHOD_PARAMS)[M]>;
/** What a handler receives: parsed, defaults applied. */
export type ParsedParams<M extends ApiMethodName> = z.output<(typeof METHOD_PARAMS)[M]>;
export type ApiResult<M extends ApiMethodName> = ApiResults[M];

export type ApiMethods = {
  readonly [M in ApiMethodName]: { params: ApiParams<M>; result: ApiResult<M> };
};

/**
 * The main side's implementation of the contract: one handler per method, no more, no less,
 * each receiving its parameters already parsed by the method's schema.
 */
export type ApiHandlers = {
  readonly [M in ApiMethodName]: (params: ParsedParams<M>) => ApiResult<M> | Promise<ApiResult<M>>;
};
