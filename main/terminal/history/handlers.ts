// The history screen's methods of the contract, on the history service.
import type { Handlers } from '../api/dispatch';
import type { HistoryService } from './service';

export function historyHandlers(
  history: HistoryService,
): Pick<Handlers, 'payments.list' | 'payments.get' | 'payments.void'> {
  return {
    'payments.list': (query) => history.list(query),
    'payments.get': ({ paymentId }) => history.get(paymentId),
    'payments.void': ({ paymentId }) => history.voidPayment(paymentId),
  };
}
