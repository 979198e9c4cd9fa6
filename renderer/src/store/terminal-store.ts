// The screens' state: one zustand store of plain data in slices (app, checkout, readers,
// payments, settlement, sync, demo, settings). Only store/events.ts and the screens' actions
// write it; components read it through the selectors in store/selectors.ts.
import { create } from 'zustand';
import type {
  AppInfo,
  AppReadiness,
  CheckoutView,
  DemoView,
  Language,
  PaymentView,
  ReadersView,
  SettlementProgress,
  SettlementStatus,
  StatusEvent,
  SyncView,
  Theme,
} from '../../../preload/api';
import type { TransportProblem } from '../bridge/transport';
import type { en } from '../i18n/en';

export type JournalKey = keyof (typeof en)['journal'];

export type Connection = 'connecting' | 'open' | TransportProblem;

/** One line of "what just happened", for the demo guide (newest last). */
export interface JournalEntry {
  readonly id: number;
  readonly kind: 'checkout' | 'phone' | 'clock' | 'note';
  /** What happened: a key of the i18n resources' `journal` section, with its values. */
  readonly key: JournalKey;
  readonly values: Readonly<Record<string, string | number>>;
}

export interface TerminalState {
  readonly app: {
    readonly info: AppInfo | null;
    readonly connection: Connection;
    readonly status: StatusEvent | null;
    /** null until the terminal service has said whether it has started (app.readiness). */
    readonly readiness: AppReadiness | null;
  };
  readonly checkout: { readonly sale: CheckoutView | null };
  readonly readers: ReadersView | null;
  /** `revision` grows with every payments.changed, so lists know to reload. */
  readonly payments: { readonly lastChanged: PaymentView | null; readonly revision: number };
  readonly settlement: {
    readonly status: SettlementStatus | null;
    readonly progress: SettlementProgress | null;
  };
  readonly sync: SyncView | null;
  readonly demo: { readonly view: DemoView | null; readonly journal: readonly JournalEntry[] };
  readonly settings: { readonly language: Language; readonly theme: Theme };
}

export function initialTerminalState(): TerminalState {
  return {
    app: { info: null, connection: 'connecting', status: null, readiness: null },
    checkout: { sale: null },
    readers: null,
    payments: { lastChanged: null, revision: 0 },
    settlement: { status: null, progress: null },
    sync: null,
    demo: { view: null, journal: [] },
    settings: { language: 'en', theme: 'system' },
  };
}

export const useTerminal = create<TerminalState>()(() => initialTerminalState());

/** Replaces the whole state: for start-up and tests. */
export function resetTerminalState(): void {
  useTerminal.setState(initialTerminalState(), true);
}
