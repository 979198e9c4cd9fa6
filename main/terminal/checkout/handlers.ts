/**
 * The cashier screen's methods of the contract on the checkout service, and the one place
 * its state events become the contract's CheckoutView (with the ledger's payment, so the
 * receipt and the history show the same row).
 */
import type { CheckoutView, PaymentView } from '../api/contract-types';
import type { Handlers } from '../api/dispatch';
import type { LedgerStore } from '../../../db/ledger-store';
import { TerminalError } from '../errors';
import type { TerminalClock } from '../model';
import { paymentView } from '../history/service';
import type { CheckoutService } from './service';
import type { CheckoutStateEvent } from './events';
import { checkOf } from './step-labels';

export interface CheckoutViews {
  /** Turns a checkout event into the contract's view, remembering it as the sale's latest. */
  view(event: CheckoutStateEvent): CheckoutView;
  current(): CheckoutView | null;
  get(saleId: string): CheckoutView | undefined;
}

export function createCheckoutViews(ledger: () => LedgerStore): CheckoutViews {
  const startedAt = new Map<string, number>();
  const latest = new Map<string, CheckoutView>();
  let newest: string | undefined;

  const paymentOf = (event: CheckoutStateEvent): PaymentView | null => {
    if (event.payment === undefined) return null;
    const row = ledger().payment(Buffer.from(event.payment.walletId, 'hex'), event.payment.counter);
    return row === undefined ? null : paymentView(row);
  };

  return {
    view(event) {
      if (!startedAt.has(event.saleId)) startedAt.set(event.saleId, event.at);
      const view: CheckoutView = {
        saleId: event.saleId,
        state: event.state,
        amount: event.amount,
        currency: event.currency,
        readerName: event.readerName ?? null,
        startedAt: startedAt.get(event.saleId) ?? event.at,
        steps: event.steps.map(checkOf),
        decline:
          event.decline === undefined
            ? null
            : {
                code: event.decline.code,
                message: event.decline.message,
                action: event.decline.action,
                detail: event.decline.detail,
              },
        payment: paymentOf(event),
      };
      latest.delete(event.saleId); // re-inserted last: Map order is the sales' recency
      latest.set(event.saleId, view);
      newest = event.saleId;
      while (latest.size > 50) latest.delete(latest.keys().next().value as string);
      return view;
    },
    current: () => (newest === undefined ? null : (latest.get(newest) ?? null)),
    get: (saleId) => latest.get(saleId),
  };
}

export function checkoutHandlers(
  checkout: Pick<CheckoutService, 'start' | 'cancel'>,
  views: CheckoutViews,
  currency: () => number | undefined,
  clock: TerminalClock,
): Pick<Handlers, 'checkout.start' | 'checkout.cancel' | 'checkout.current'> {
  const known = (saleId: string): CheckoutView => {
    const view = views.get(saleId);
    if (view === undefined) throw new TerminalError('unknown_sale', `no sale ${saleId}`);
    return view;
  };
  return {
    'checkout.start': async ({ amount, currency: asked, readerName }) => {
      const terminalCurrency = currency();
      const sale = await checkout.start({
        amount,
        // The terminal charges in one currency; a sale without one is in it.
        currency: asked ?? terminalCurrency ?? 0,
        readerName,
      });
      return (
        views.get(sale.saleId) ??
        views.view({
          ...sale,
          reason: undefined,
          decline: undefined,
          payment: undefined,
          steps: [],
          at: clock.now(),
        })
      );
    },
    'checkout.cancel': async ({ saleId }) => {
      known(saleId);
      // The service publishes the cancelled state; its translation updated the view.
      await checkout.cancel(saleId);
      return known(saleId);
    },
    'checkout.current': () => views.current(),
  };
}
