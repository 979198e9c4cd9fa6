/**
 * createTerminal(deps): the one composition root of the terminal's services. Electron
 * (main/electron) and the browser host (main/host) both call it — through main/demo's
 * launcher — and only carry what it returns: the handler table of the contract and the event
 * bus. Every service is built on one ledger file; a restore closes them, replaces the file
 * and builds them again, while the handler table stays the same object.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { LedgerStore } from '../../db/ledger-store';
import { SettingsStore } from '../../db/settings-store';
import { TerminalStore } from '../../db/terminal-store';
import type { ApiEvents, DemoView, ReadersView, TransportKind } from '../../preload/contract';
import type { DemoAction, DemoForgery } from '../../preload/contract/methods';
import { appHandlers } from './app/handlers';
import type { Handlers } from './api/dispatch';
import { backupHandlers } from './backup/handlers';
import { createBackupService } from './backup/service';
import { checkoutHandlers, createCheckoutViews } from './checkout/handlers';
import type { KeySealer } from './enrollment';
import { TerminalError } from './errors';
import { createEventBus, statusEvent, type EventBus } from './events';
import { historyHandlers } from './history/handlers';
import { createHistoryService } from './history/service';
import type { TerminalClock } from './model';
import type { ReaderEvents } from './reader/events';
import { readerHandlers, readersView } from './reader/handlers';
import type { ReaderDriver } from './reader/reader';
import { createReaderService } from './reader/service';
import { reportsHandlers } from './reports/handlers';
import { buildServices, type Services } from './services';
import { settlementHandlers } from './settlement/handlers';
import type { VelocitySettings } from './verify/velocity';
import type { Backoff } from './settlement/upload';

/** The demo world's controls (main/demo), when this terminal runs in demo mode. */
export interface DemoControls {
  view(): DemoView;
  action(phoneId: string, action: DemoAction, amount?: number): Promise<DemoView>;
  timeTravel(seconds: number): Promise<DemoView>;
  forgedTap(phoneId: string | undefined, forgery: DemoForgery): Promise<DemoView>;
  platform(online: boolean): DemoView;
  /** S1: a new demo user and phone, activated through the platform's API. */
  addPhone(label: string): Promise<DemoView>;
}

export interface TerminalDeps {
  /** The terminal's folder: ledger.sqlite, the sealed key, hotlist.bin. */
  readonly dataDir: string;
  readonly version: string;
  readonly transport: TransportKind;
  readonly drivers: readonly ReaderDriver[];
  /** Whether the PC/SC stack loaded, and the one line saying what is missing. */
  readonly pcsc: ReadersView['pcsc'];
  readonly clock?: TerminalClock;
  /** How the terminal key is sealed: Electron safeStorage, else a 0600 file. */
  readonly keySealer?: KeySealer;
  readonly demo?: DemoControls;
  readonly velocity?: VelocitySettings;
  /** How settlement retries an unreachable platform (demo mode: seconds, not minutes). */
  readonly settlementBackoff?: Partial<Backoff>;
  readonly logError?: (error: unknown) => void;
}

export interface Terminal {
  readonly handlers: Handlers;
  readonly events: EventBus<ApiEvents>;
  /** The running services (the demo launcher enrolls and syncs through them). */
  services(): Services;
  /** Starts the readers and the schedules (sync, settlement). */
  start(): Promise<void>;
  /** Lets a sale in progress end, stops the schedules, closes readers and the ledger. */
  close(): Promise<void>;
}

const systemClock: TerminalClock = { now: () => Math.floor(Date.now() / 1000) };

export function createTerminal(deps: TerminalDeps): Terminal {
  const logError = deps.logError ?? ((error: unknown) => console.error(error));
  const clock = deps.clock ?? systemClock;
  const events = createEventBus<ApiEvents>(logError);
  const publish = events.publish.bind(events);
  const ledgerPath = join(deps.dataDir, 'ledger.sqlite');
  const pcsc = deps.pcsc;

  const readers = createReaderService({
    drivers: deps.drivers,
    clock,
    publish: (name, payload) => {
      if (name === 'readers.changed') {
        const { readers: list } = payload as ReaderEvents['readers.changed'];
        publish('readers.changed', readersView(list, pcsc));
      } else {
        const status = payload as ReaderEvents['reader.status'];
        publish('app.status', statusEvent(status.level, status.message));
      }
    },
  });

  // The terminal's secrets live here (the sealed key): for this user only.
  mkdirSync(deps.dataDir, { recursive: true, mode: 0o700 });
  let ledger = LedgerStore.open(ledgerPath);
  const views = createCheckoutViews(() => ledger);
  const build = (): Services =>
    buildServices({
      ledger,
      store: new TerminalStore(ledger.db),
      dataDir: deps.dataDir,
      clock,
      cards: readers,
      views,
      publish,
      random: (size) => new Uint8Array(randomBytes(size)),
      ...(deps.keySealer === undefined ? {} : { keySealer: deps.keySealer }),
      ...(deps.velocity === undefined ? {} : { velocity: deps.velocity }),
      ...(deps.settlementBackoff === undefined ? {} : { backoff: deps.settlementBackoff }),
    });
  let services = build();
  const s = (): Services => services;

  const history = createHistoryService({
    ledger: () => ledger,
    clock,
    publish,
  });
  const backup = createBackupService({
    ledgerPath,
    ledger: () => ledger,
    clock,
    busyReason: () => {
      if (s().checkout.sales().length > 0) return 'a sale is in progress';
      if (s().uploading()) return 'an upload is running';
      return undefined;
    },
    reopenLedger: (replace) => {
      s().stop();
      ledger.close();
      try {
        replace();
      } finally {
        ledger = LedgerStore.open(ledgerPath);
        services = build();
        services.start();
        reportStartup(ledger, publish);
      }
    },
  });

  const demo = deps.demo;
  const notDemo = (): never => {
    throw new TerminalError('not_demo', 'this terminal is not in demo mode');
  };

  const handlers: Handlers = {
    ...appHandlers({
      version: deps.version,
      transport: deps.transport,
      demo: demo !== undefined,
      enrollment: () => s().enrollment,
      sync: () => s().sync,
      settings: () => new SettingsStore(ledger.db),
      parameters: () => s().parameters() ?? null,
    }),
    ...readerHandlers(() => readers.readers(), pcsc),
    ...checkoutHandlers(
      {
        start: (input) => s().checkout.start(input),
        cancel: (saleId?: string) => s().checkout.cancel(saleId),
      },
      views,
      () => s().parameters()?.currency,
      clock,
    ),
    ...historyHandlers(history),
    ...settlementHandlers(
      () => s().settlement,
      () => s().uploading(),
      () => s().upload(),
    ),
    ...reportsHandlers(
      () => s().reports,
      () => -new Date().getTimezoneOffset() * 60,
    ),
    ...backupHandlers(backup),
    // Switching modes replaces the whole terminal: the launcher above (main/demo) does it.
    'app.setMode': () => {
      throw new TerminalError('mode_fixed', 'this terminal was started in one mode only');
    },
    'demo.state': () => (demo === undefined ? notDemo() : demo.view()),
    'demo.action': ({ phoneId, action, amount }) =>
      demo === undefined ? notDemo() : demo.action(phoneId, action, amount),
    'demo.timeTravel': async ({ seconds }) => {
      if (demo === undefined) return notDemo();
      const view = await demo.timeTravel(seconds);
      // What the terminal's sync schedule would have done meanwhile: without it the hotlist
      // is days old after the jump and every sale is refused until the next real-time sync.
      // A failure shows in sync.status; the travel itself happened.
      await s()
        .sync.syncNow()
        .catch(() => undefined);
      return view;
    },
    'demo.forgedTap': ({ phoneId, forgery }) =>
      demo === undefined ? notDemo() : demo.forgedTap(phoneId, forgery),
    'demo.platform': ({ online }) => (demo === undefined ? notDemo() : demo.platform(online)),
    // Once this table answers at all, the terminal has started (see api/starting.ts).
    'app.readiness': () => ({
      state: 'ready',
      mode: demo === undefined ? 'merchant' : 'demo',
      message: null,
    }),
    'demo.addPhone': ({ label }) => (demo === undefined ? notDemo() : demo.addPhone(label)),
  };

  return {
    handlers,
    events,
    services: s,
    async start() {
      reportStartup(ledger, publish);
      await readers.start();
      s().start();
    },
    async close() {
      await s().close();
      await readers.close();
      ledger.close();
    },
  };
}

/** Says at start (and after a restore) whether the ledger passed its checks. */
function reportStartup(ledger: LedgerStore, publish: EventBus<ApiEvents>['publish']): void {
  const { startup } = ledger;
  if (startup.ok) return;
  const why = !startup.integrity.ok
    ? startup.integrity.problems.join('; ')
    : !startup.chain.ok
      ? `hash chain broken at entry ${startup.chain.brokenAt}: ${startup.chain.reason}`
      : 'not checked';
  publish(
    'app.status',
    statusEvent('error', `The ledger failed its start-up check (${why}): no payment is taken.`),
  );
}
