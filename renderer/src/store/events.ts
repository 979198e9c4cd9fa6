// The ONE place that listens to the contract's events and turns them into store updates.
// Screens never subscribe to the bridge themselves.
import type {
  ApiEvents,
  CheckoutView,
  DemoPhoneView,
  DemoView,
  Unsubscribe,
} from '../../../preload/api';
import type { ApiClient } from '../bridge/client';
import {
  useTerminal,
  type JournalEntry,
  type JournalKey,
  type TerminalState,
} from './terminal-store';

const JOURNAL_LENGTH = 40;
let journalId = 0;

type Store = Pick<typeof useTerminal, 'getState' | 'setState'>;
type NewEntry = Omit<JournalEntry, 'id'>;

function appendJournal(state: TerminalState, entries: readonly NewEntry[]): TerminalState['demo'] {
  if (entries.length === 0) return state.demo;
  const added = entries.map((entry) => ({ ...entry, id: ++journalId }));
  return { ...state.demo, journal: [...state.demo.journal, ...added].slice(-JOURNAL_LENGTH) };
}

function checkoutEntries(previous: CheckoutView | null, sale: CheckoutView): NewEntry[] {
  if (previous?.saleId === sale.saleId && previous.state === sale.state) return [];
  const values: Record<string, string | number> = {
    state: sale.state,
    amount: sale.amount,
    currency: sale.currency,
  };
  if (sale.decline !== null) values['code'] = sale.decline.code;
  return [{ kind: 'checkout', key: `checkout_${sale.state}`, values }];
}

/** What changed on each phone since the last view: the guide's "what just happened". */
export function phoneEntries(previous: DemoView | null, next: DemoView): NewEntry[] {
  const entries: NewEntry[] = [];
  const before = new Map<string, DemoPhoneView>(previous?.phones.map((p) => [p.phoneId, p]));
  for (const phone of next.phones) {
    const old = before.get(phone.phoneId);
    if (old === undefined) continue;
    if (old.imsi !== phone.imsi) entries.push(phoneEntry(phone, 'sim_changed', phone.imsi));
    if (old.imei !== phone.imei) entries.push(phoneEntry(phone, 'device_changed', phone.imei));
    if (old.walletState !== phone.walletState) {
      entries.push(phoneEntry(phone, 'phone_wallet_state', phone.walletState));
    }
    if (old.powered !== phone.powered) {
      entries.push(phoneEntry(phone, phone.powered ? 'phone_power_on' : 'phone_power_off'));
    }
    if (old.signal !== phone.signal) {
      entries.push(phoneEntry(phone, phone.signal ? 'phone_signal_on' : 'phone_signal_off'));
    }
    if (old.onReader !== phone.onReader) {
      entries.push(phoneEntry(phone, phone.onReader ? 'phone_on_reader' : 'phone_off_reader'));
    }
    if (old.balance !== phone.balance) {
      entries.push({
        kind: 'phone',
        key: 'phone_balance',
        values: { phone: phone.label, amount: phone.balance, currency: phone.currency },
      });
    }
  }
  if (previous !== null && previous.clock.offsetSeconds !== next.clock.offsetSeconds) {
    entries.push({
      kind: 'clock',
      key: 'clock_moved',
      values: { seconds: next.clock.offsetSeconds - previous.clock.offsetSeconds },
    });
  }
  return entries;
}

/**
 * The demo's own notes (an activation, a refused unlock, terminal 2's steps) not yet in the
 * journal: those newer than the previous view's. A demo restarted numbers from 1 again, so
 * notes all older than the last seen one are new too.
 */
export function noteEntries(previous: DemoView | null, next: DemoView): NewEntry[] {
  const notes = next.notes ?? [];
  const seen = previous?.notes?.at(-1)?.id ?? 0;
  const newest = notes.at(-1)?.id ?? 0;
  const fresh = newest < seen ? notes : notes.filter((note) => note.id > seen);
  return fresh.map((note) => ({
    kind: 'note',
    key: note.key,
    values: { ...note.values, phone: note.phone },
  }));
}

function phoneEntry(phone: DemoPhoneView, key: JournalKey, value = ''): NewEntry {
  return { kind: 'phone', key, values: { phone: phone.label, value } };
}

const FINAL_STATES: readonly CheckoutView['state'][] = ['approved', 'declined', 'cancelled'];

/**
 * A call's result and the events of the same sale can cross: once a sale has ended, an
 * earlier state of it (a late checkout.start result, say) must not bring it back.
 */
function isStale(current: CheckoutView | null, incoming: CheckoutView): boolean {
  return (
    current !== null &&
    current.saleId === incoming.saleId &&
    FINAL_STATES.includes(current.state) &&
    !FINAL_STATES.includes(incoming.state)
  );
}

/** The reducers, one per event; exported so tests drive them without a bridge. */
export const eventReducers: {
  readonly [E in keyof ApiEvents]: (state: TerminalState, payload: ApiEvents[E]) => TerminalState;
} = {
  'app.status': (s, status) => ({ ...s, app: { ...s.app, status } }),
  'checkout.state': (s, sale) => {
    if (isStale(s.checkout.sale, sale)) return s;
    const next = { ...s, checkout: { sale } };
    return { ...next, demo: appendJournal(s, checkoutEntries(s.checkout.sale, sale)) };
  },
  'readers.changed': (s, readers) => ({ ...s, readers }),
  'payments.changed': (s, payment) => ({
    ...s,
    payments: { lastChanged: payment, revision: s.payments.revision + 1 },
  }),
  'settlement.progress': (s, progress) => ({ ...s, settlement: { ...s.settlement, progress } }),
  'settlement.changed': (s, status) => ({ ...s, settlement: { ...s.settlement, status } }),
  'sync.changed': (s, sync) => ({ ...s, sync }),
  'demo.changed': (s, view) => ({
    ...s,
    demo: {
      view,
      journal: appendJournal(s, [
        ...phoneEntries(s.demo.view, view),
        ...noteEntries(s.demo.view, view),
      ]).journal,
    },
  }),
  // A start ends once (ready or failed): a late "starting" answer must not bring it back.
  'app.readiness': (s, readiness) =>
    readiness.state === 'starting' && (s.app.readiness?.state ?? 'starting') !== 'starting'
      ? s
      : { ...s, app: { ...s.app, readiness } },
};

/** Call results that carry the same data as an event go through the same reducer. */
export function applyEvent<E extends keyof ApiEvents>(
  event: E,
  payload: ApiEvents[E],
  store: Store = useTerminal,
): void {
  store.setState((state) => eventReducers[event](state, payload), true);
}

export function subscribeToEvents(api: ApiClient, store: Store = useTerminal): Unsubscribe {
  const names = Object.keys(eventReducers) as (keyof ApiEvents)[];
  const unsubscribes = names.map((name) =>
    api.on(name, (payload) => applyEvent(name, payload as never, store)),
  );
  return () => {
    for (const unsubscribe of unsubscribes) unsubscribe();
  };
}
