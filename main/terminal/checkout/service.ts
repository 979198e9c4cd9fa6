/**
 * The checkout: one sale at a time per reader, from the amount to approved / declined.
 * idle → awaiting_tap → reading → verifying → approved | declined | torn (→ the same sale
 * waits for the wallet's next tap) | cancelled. Each change is published as
 * `checkout.state`; "approved" is published only after the payment is committed.
 */
import type { LedgerStore } from '../../../db/ledger-store';
import { TerminalError } from '../errors';
import type { TerminalClock } from '../model';
import type { CardInField } from '../reader/reader';
import { hex, velocityLimits, type VelocitySettings } from '../verify';
import type {
  ApprovedPayment,
  CheckoutDecline,
  CheckoutPublish,
  CheckoutState,
  TapStep,
} from './events';
import { approvedPayment, declineOf, messageOf } from './outcome-view';
import { runTap } from './tap';
import type { Sale, TapContext, TapOutcome } from './tap-context';
import { readySetup, validateSale, type SetupSource, type StartSale } from './validate';

export interface CardSource {
  waitForCard(readerName: string | undefined, signal: AbortSignal): Promise<CardInField>;
}

export interface CheckoutDeps {
  readonly cards: CardSource;
  readonly ledger: LedgerStore;
  readonly setup: SetupSource;
  readonly clock: TerminalClock;
  readonly publish: CheckoutPublish;
  /** Cryptographic random bytes (nonces, sale ids). */
  readonly random: (size: number) => Uint8Array;
  /** The terminal's own velocity limits (verify/velocity.ts); defaults when absent. */
  readonly velocity?: VelocitySettings;
}

export interface SaleView {
  readonly saleId: string;
  readonly readerName: string | undefined;
  readonly amount: number;
  readonly currency: number;
  readonly state: CheckoutState;
}

export interface SaleResult extends SaleView {
  readonly state: 'approved' | 'declined' | 'cancelled';
  readonly decline: CheckoutDecline | undefined;
  readonly payment: ApprovedPayment | undefined;
  readonly steps: readonly TapStep[];
}

export interface CheckoutService {
  /** Checks amount, currency and readiness, then awaits a tap in the background. */
  start(input: StartSale): Promise<SaleView>;
  /** Cancels a sale awaiting a tap (all such sales when no id is given). */
  cancel(saleId?: string): Promise<{ readonly cancelled: readonly string[] }>;
  /** Resolves when the sale ends. */
  outcome(saleId: string): Promise<SaleResult>;
  /** Sales in progress. */
  sales(): SaleView[];
  /** Cancels what can be cancelled and waits for every sale to end. */
  close(): Promise<void>;
}

interface ActiveSale extends Sale {
  readerName: string | undefined;
  state: CheckoutState;
  steps: TapStep[];
  readonly abort: AbortController;
  readonly done: Promise<SaleResult>;
  finish(result: SaleResult): void;
}

interface StateExtra {
  readonly reason?: string;
  readonly decline?: CheckoutDecline;
  readonly payment?: ApprovedPayment;
}

/** Runs `work` as a promise: a throw (a TerminalError) becomes a rejection. */
const settle = <T>(work: () => T): Promise<T> => new Promise((resolve) => resolve(work()));

/** Finished sales kept for outcome(). */
const RESULTS_KEPT = 200;

export function createCheckoutService(deps: CheckoutDeps): CheckoutService {
  const active = new Map<string, ActiveSale>();
  const results = new Map<string, SaleResult>();
  const requestOwner = new Map<string, string>();

  // A failing listener must not stop a sale (a payment may already be on disk).
  const publish: CheckoutPublish = (event, payload) => {
    try {
      deps.publish(event, payload);
    } catch {
      // The transports report their own faults; the sale goes on.
    }
  };

  const view = (sale: ActiveSale): SaleView => ({
    saleId: sale.id,
    readerName: sale.readerName,
    amount: sale.amount,
    currency: sale.currency,
    state: sale.state,
  });

  function emit(sale: ActiveSale, state: CheckoutState, extra: StateExtra = {}): void {
    sale.state = state;
    publish('checkout.state', {
      ...view(sale),
      reason: extra.reason,
      decline: extra.decline,
      payment: extra.payment,
      steps: [...sale.steps],
      at: deps.clock.now(),
    });
  }

  function end(sale: ActiveSale, state: SaleResult['state'], extra: StateExtra = {}): void {
    emit(sale, state, extra);
    active.delete(sale.id);
    const result: SaleResult = {
      ...view(sale),
      state,
      decline: extra.decline,
      payment: extra.payment,
      steps: [...sale.steps],
    };
    results.set(sale.id, result);
    if (results.size > RESULTS_KEPT) results.delete(results.keys().next().value as string);
    sale.finish(result);
  }

  function conflicts(readerName: string | undefined): boolean {
    for (const sale of active.values()) {
      if (sale.readerName === undefined || readerName === undefined) return true;
      if (sale.readerName === readerName) return true;
    }
    return false;
  }

  async function run(sale: ActiveSale): Promise<void> {
    emit(sale, 'awaiting_tap');
    for (;;) {
      let card: CardInField;
      try {
        card = await deps.cards.waitForCard(sale.readerName, sale.abort.signal);
      } catch (error) {
        if (sale.abort.signal.aborted) return end(sale, 'cancelled', { reason: 'cancelled' });
        return end(sale, 'declined', { decline: declineOf('card_error', messageOf(error)) });
      }
      sale.readerName ??= card.readerName;
      sale.steps = [];
      emit(sale, 'reading');
      const outcome = await tap(sale, card);
      if (outcome.kind === 'approved') {
        return end(sale, 'approved', {
          payment: approvedPayment(outcome.payment, outcome.record, outcome.completedTornTap),
        });
      }
      if (outcome.kind === 'declined') {
        return end(sale, 'declined', { decline: declineOf(outcome.code, outcome.detail) });
      }
      if (outcome.kind === 'torn') {
        emit(sale, 'torn', {
          reason: `the card left during payment (${outcome.detail}): tap again`,
        });
      } else {
        emit(sale, 'awaiting_tap', {
          reason: `the card left before payment (${outcome.detail}): tap again`,
        });
      }
    }
  }

  async function tap(sale: ActiveSale, card: CardInField): Promise<TapOutcome> {
    const now = deps.clock.now();
    const setup = deps.setup();
    if ('notReady' in setup) {
      return { kind: 'declined', code: 'terminal_not_ready', detail: setup.notReady };
    }
    const ctx: TapContext = {
      card,
      setup,
      now,
      ledger: deps.ledger,
      sale,
      velocity: velocityLimits(deps.velocity ?? {}, setup.parameters),
      random: deps.random,
      steps: sale.steps,
      requestOwner,
      onVerifying: () => emit(sale, 'verifying'),
      onRecovered: (payment, record, saleId) =>
        publish('checkout.recovered', {
          saleId,
          duringSaleId: sale.id,
          payment: approvedPayment(payment, record, true),
          at: deps.clock.now(),
        }),
    };
    try {
      return await runTap(ctx);
    } catch (error) {
      return { kind: 'declined', code: 'card_error', detail: `unexpected: ${messageOf(error)}` };
    }
  }

  return {
    start: (input) =>
      settle(() => {
        const setup = readySetup(deps.setup, deps.clock.now(), deps.ledger);
        validateSale(input, setup);
        if (conflicts(input.readerName)) {
          throw new TerminalError(
            'sale_in_progress',
            'A sale is already in progress on this reader.',
            {
              readerName: input.readerName,
            },
          );
        }
        let finish!: (result: SaleResult) => void;
        const sale: ActiveSale = {
          id: hex(deps.random(8)),
          amount: input.amount,
          currency: input.currency,
          readerName: input.readerName,
          state: 'idle',
          steps: [],
          abort: new AbortController(),
          done: new Promise<SaleResult>((resolve) => (finish = resolve)),
          finish: (result) => finish(result),
        };
        active.set(sale.id, sale);
        void run(sale);
        return view(sale);
      }),
    cancel: (saleId) =>
      settle(() => {
        const targets = saleId === undefined ? [...active.values()] : [active.get(saleId)];
        const cancelled: string[] = [];
        for (const sale of targets) {
          if (sale === undefined) {
            throw new TerminalError('unknown_sale', 'No such sale in progress.', { saleId });
          }
          if (sale.state === 'awaiting_tap' || sale.state === 'torn') {
            sale.abort.abort();
            cancelled.push(sale.id);
          } else if (saleId !== undefined) {
            throw new TerminalError(
              'sale_busy',
              'The tap is being processed; wait for its outcome.',
              {
                saleId,
              },
            );
          }
        }
        return { cancelled };
      }),
    outcome(saleId) {
      const sale = active.get(saleId);
      if (sale) return sale.done;
      const result = results.get(saleId);
      if (result) return Promise.resolve(result);
      return Promise.reject(new TerminalError('unknown_sale', 'No such sale.', { saleId }));
    },
    sales: () => [...active.values()].map(view),
    async close() {
      const running = [...active.values()];
      for (const sale of running) sale.abort.abort();
      await Promise.all(running.map((sale) => sale.done));
    },
  };
}
