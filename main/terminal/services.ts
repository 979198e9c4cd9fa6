/**
 * The services of one ledger, wired to each other: enrollment and sync keep the trust set-up,
 * the checkout takes taps with what sync says is in force, settlement uploads through the
 * enrolled terminal's platform client, reports store a Z report at each period close. Their
 * own events become the contract's events here, in one place.
 */
import type { LedgerStore } from '../../db/ledger-store';
import type { TerminalStore } from '../../db/terminal-store';
import type { TerminalParametersView } from '../../preload/contract';
import { syncView } from './app/handlers';
import { createCheckoutService, type CheckoutService } from './checkout';
import type { CardSource } from './checkout/service';
import type { CheckoutViews } from './checkout/handlers';
import { createEnrollmentService, type EnrollmentService, type KeySealer } from './enrollment';
import { TerminalError } from './errors';
import { statusEvent, type Publish } from './events';
import { paymentView } from './history/service';
import type { TerminalClock } from './model';
import { createReportsService, type ReportsService } from './reports';
import { createSettlementService, type SettlementService } from './settlement';
import { progressView, statusView } from './settlement/handlers';
import { createSyncService, type SyncService } from './sync';
import type { VelocitySettings } from './verify/velocity';
import type { Backoff } from './settlement/upload';

export interface ServicesDeps {
  readonly ledger: LedgerStore;
  readonly store: TerminalStore;
  readonly dataDir: string;
  readonly clock: TerminalClock;
  readonly cards: CardSource;
  readonly views: CheckoutViews;
  readonly publish: Publish;
  readonly random: (size: number) => Uint8Array;
  readonly keySealer?: KeySealer;
  readonly velocity?: VelocitySettings;
  readonly backoff?: Partial<Backoff>;
}

export interface Services {
  readonly enrollment: EnrollmentService;
  readonly sync: SyncService;
  readonly checkout: CheckoutService;
  readonly settlement: SettlementService;
  readonly reports: ReportsService;
  /** The parameters in force, undefined before enrollment. */
  parameters(): TerminalParametersView | undefined;
  uploading(): boolean;
  /** The merchant's "upload now": sends the waiting batches in order, with progress counts. */
  upload(): ReturnType<SettlementService['upload']>;
  start(): void;
  /** Stops the schedules at once (a restore follows). */
  stop(): void;
  /** Lets the sales in progress end, then stops. */
  close(): Promise<void>;
}

const localOffsetSeconds = (): number => -new Date().getTimezoneOffset() * 60;

export function buildServices(deps: ServicesDeps): Services {
  const { ledger, store, clock, publish } = deps;
  const parameters = () => store.identity()?.parameters;
  const enrolled = () => {
    const identity = enrollment.identity();
    if (identity === undefined) {
      throw new TerminalError('not_enrolled', 'the terminal is not enrolled: enter a code');
    }
    return identity;
  };

  const enrollment = createEnrollmentService({
    store,
    dataDir: deps.dataDir,
    clock,
    ...(deps.keySealer === undefined ? {} : { sealer: deps.keySealer }),
    publish: () => publish('app.status', statusEvent('info', 'The terminal is enrolled.')),
  });
  const sync = createSyncService({
    store,
    enrollment,
    hotlistPath: `${deps.dataDir}/hotlist.bin`,
    clock,
    publish: (_name, status) => publish('sync.changed', syncView(status, parameters() ?? null)),
  });
  const reports = createReportsService({
    ledger,
    clock,
    currency: () => parameters()?.currency ?? 0,
    terminalId: () => store.identity()?.terminalId ?? '',
    utcOffsetSeconds: localOffsetSeconds,
  });

  let uploading = false;
  let progress = { done: 0, of: 0 };
  const settlement = createSettlementService({
    ledger,
    identity: enrolled,
    parameters: () => {
      const p = parameters();
      if (p === undefined) throw new TerminalError('not_enrolled', 'the terminal is not enrolled');
      return p;
    },
    trustKeys: () => store.trustKeys(),
    uploadBatch: (envelope) => enrollment.platform().uploadBatch(envelope),
    clock,
    publish: (name, payload) => {
      if (name === 'settlement.progress') {
        const p = payload as Parameters<typeof progressView>[0];
        if (p.state === 'acknowledged') progress = { ...progress, done: progress.done + 1 };
        publish('settlement.progress', progressView(p, progress.done, progress.of));
      }
      publishSettlement();
    },
    onPeriodClosed: () => reports.recordZ(),
    ...(deps.backoff === undefined ? {} : { backoff: deps.backoff }),
  });
  const publishSettlement = () => {
    if (parameters() === undefined) return;
    publish('settlement.changed', statusView(settlement.status(), uploading));
  };

  const checkout = createCheckoutService({
    cards: deps.cards,
    ledger,
    setup: () => {
      const setup = sync.setup();
      return 'notReady' in setup ? { notReady: setup.notReady.message } : setup;
    },
    clock,
    random: deps.random,
    ...(deps.velocity === undefined ? {} : { velocity: deps.velocity }),
    publish: (name, payload) => {
      if (name === 'checkout.state') {
        const view = deps.views.view(payload as Parameters<CheckoutViews['view']>[0]);
        publish('checkout.state', view);
        if (view.payment !== null && view.state === 'approved') {
          publish('payments.changed', view.payment);
        }
      } else {
        const recovered = payload as { payment: { walletId: string; counter: number } };
        const row = ledger.payment(
          Buffer.from(recovered.payment.walletId, 'hex'),
          recovered.payment.counter,
        );
        if (row !== undefined) publish('payments.changed', paymentView(row));
        publish(
          'app.status',
          statusEvent('info', 'An earlier torn payment was completed by this tap.'),
        );
      }
    },
  });

  return {
    enrollment,
    sync,
    checkout,
    settlement,
    reports,
    parameters,
    uploading: () => uploading,
    async upload() {
      // The settlement service joins a run in flight; the counts are for the progress bar.
      if (!uploading) progress = { done: 0, of: settlement.status().pending.length };
      uploading = true;
      publishSettlement();
      try {
        return await settlement.upload();
      } finally {
        uploading = false;
        publishSettlement();
      }
    },
    start() {
      if (enrollment.status().state !== 'enrolled') return;
      sync.start();
      settlement.start();
    },
    stop() {
      sync.stop();
      settlement.stop();
    },
    async close() {
      sync.stop();
      settlement.stop();
      await checkout.close();
    },
  };
}
