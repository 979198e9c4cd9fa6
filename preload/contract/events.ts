/** Every event the main side pushes to the screens, by name, with its payload. */
import type {
  AppReadiness,
  CheckoutView,
  DemoView,
  PaymentView,
  ReadersView,
  SettlementProgress,
  SettlementStatus,
  StatusEvent,
  SyncView,
} from './views';

export interface ApiEvents {
  /** A line for the status bar: readers lost or found, sync problems, start-up checks. */
  'app.status': StatusEvent;
  /** Every change of the sale in progress (one per state, steps included). */
  'checkout.state': CheckoutView;
  'readers.changed': ReadersView;
  /** A payment was added, voided or settled. */
  'payments.changed': PaymentView;
  'settlement.progress': SettlementProgress;
  'settlement.changed': SettlementStatus;
  'sync.changed': SyncView;
  'demo.changed': DemoView;
  /** The terminal finished starting (or failed to): see AppReadiness. */
  'app.readiness': AppReadiness;
}

export type ApiEventName = keyof ApiEvents;

/** The event names, for allow-lists on each transport (typed: a missing one fails to compile). */
export const API_EVENT_NAMES: Readonly<Record<ApiEventName, true>> = {
  'app.status': true,
  'checkout.state': true,
  'readers.changed': true,
  'payments.changed': true,
  'settlement.progress': true,
  'settlement.changed': true,
  'sync.changed': true,
  'demo.changed': true,
  'app.readiness': true,
};

export interface RpcEventMessage<E extends ApiEventName = ApiEventName> {
  readonly event: E;
  readonly payload: ApiEvents[E];
}
