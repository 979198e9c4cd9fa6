/**
 * Sync (docs/protocol.md §7.1 steps 4–7, 9): the terminal's view of itself (status,
 * parameters, trust keys), the hotlist (a delta onto the version held, else the full list)
 * and certificate renewal once less than half its lifetime remains. Runs on demand
 * (`syncNow`) and on a schedule: at least daily, before the hotlist gets older than
 * `hotlistMaxAgeSeconds`, before renewal is due, and sooner after a failure (backoff).
 * `setup()` is what the checkout reads at each sale: everything a tap needs, or why the
 * terminal may not take payments now.
 */
import { HotlistStore } from '../../../db/hotlist-store';
import type { TerminalStore } from '../../../db/terminal-store';
import type { EnrollmentService } from '../enrollment';
import { verifyTerminalCertificate } from '../enrollment/trust';
import { TerminalError } from '../errors';
import type { TerminalClock, TerminalSetup } from '../model';
import type { SyncPublish } from './events';
import { HotlistKeeper } from './hotlist-keeper';
import {
  NOT_READY_MESSAGES,
  notReadyReason,
  syncStatus,
  type NotReady,
  type SyncStatus,
} from './status';
import { nextSyncAt, type SyncTimers } from './schedule';

export interface SyncDeps {
  readonly store: TerminalStore;
  readonly enrollment: EnrollmentService;
  /** The hotlist file, beside the ledger (e.g. `<dataDir>/hotlist.bin`). */
  readonly hotlistPath: string;
  readonly clock: TerminalClock;
  readonly publish?: SyncPublish;
  /** Default: the global setTimeout / clearTimeout. */
  readonly timers?: SyncTimers;
}

export interface SyncService {
  /** One sync now (joins the one in flight); throws its TerminalError after recording it. */
  syncNow(): Promise<SyncStatus>;
  status(): SyncStatus;
  /** What a sale needs, or why the terminal takes no payment now. */
  setup(): TerminalSetup | { readonly notReady: NotReady };
  /**
   * Asks the platform for the terminal's view again (trust keys, parameters, status): what
   * a service does when an object names an `issuerKeyId` it does not know (§7.1 step 4).
   */
  refreshTrustKeys(): Promise<void>;
  /** Starts the schedule (a first sync at once when one is due). */
  start(): void;
  stop(): void;
}

const globalTimers: SyncTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export function createSyncService(deps: SyncDeps): SyncService {
  const { store, enrollment, clock } = deps;
  const timers = deps.timers ?? globalTimers;
  const hotlist = new HotlistKeeper(new HotlistStore(deps.hotlistPath), store);
  let inFlight: Promise<SyncStatus> | undefined;
  let failures = 0;
  let timer: unknown;
  let running = false;
  let scheduledAt: number | null = null;

  const status = (): SyncStatus => {
    const now = clock.now();
    return syncStatus({
      identity: store.identity(),
      certificate: store.certificate(now),
      record: store.syncRecord(),
      hotlist: hotlist.index,
      now,
      nextSyncAt: scheduledAt,
    });
  };

  const publishStatus = () => deps.publish?.('sync.status', status());

  async function refreshView(): Promise<{ resumed: boolean; suspended: boolean }> {
    const before = store.identity();
    const view = await enrollment.platform().terminalInfo();
    const suspended = view.status === 'suspended';
    store.applyTerminalView({
      parameters: view.parameters,
      trustKeys: view.trustKeys,
      suspended,
      suspendedAt: view.suspendedAt,
    });
    return { resumed: before?.suspended === true && !suspended, suspended };
  }

  async function syncHotlist(): Promise<void> {
    const platform = enrollment.platform();
    const base = hotlist.deltaBase;
    let envelope =
      base === undefined ? await platform.hotlistFull() : await platform.hotlistDelta(base);
    for (let attempt = 0; attempt < 3; attempt++) {
      const outcome = await hotlist.apply(envelope, store.trustKeys(), clock.now());
      if (outcome.applied) return;
      if ('needFull' in outcome) envelope = await platform.hotlistFull();
      else if (attempt === 0)
        await refreshView(); // a key we do not know yet: ask again
      else break;
    }
    throw new TerminalError(
      'hotlist_unknown_key',
      'the hotlist is signed by a key the platform does not list as trusted: refused',
    );
  }

  async function renewIfDue(force: boolean): Promise<void> {
    const now = clock.now();
    const current = store.certificate(now);
    const identity = store.identity();
    if (identity === undefined) return;
    const due =
      force ||
      current === undefined ||
      now > current.validUntil ||
      current.validUntil - now < (current.validUntil - current.validFrom) / 2;
    if (!due) return;
    const renewed = await enrollment.platform().renewCertificate();
    const signed = verifyTerminalCertificate(renewed.certificate, {
      trustKeys: store.trustKeys(),
      publicKey: identity.publicKey,
      merchantId: identity.merchantId,
      terminalId: identity.terminalId,
      now: clock.now(),
    });
    store.addCertificate(
      {
        serial: signed.value.serial,
        envelope: signed.encoded,
        validFrom: signed.value.validFrom,
        validUntil: signed.value.validUntil,
      },
      clock.now(),
    );
  }

  async function sync(): Promise<SyncStatus> {
    if (store.identity() === undefined) {
      throw new TerminalError('not_enrolled', 'this terminal is not enrolled with the platform');
    }
    try {
      const { resumed, suspended } = await refreshView();
      if (suspended) {
        failures = 0;
        store.recordSync(clock.now(), 'terminal_suspended', NOT_READY_MESSAGES.suspended);
        return status();
      }
      await syncHotlist();
      // After a suspension the platform told phones to refuse every earlier serial.
      await renewIfDue(resumed);
      failures = 0;
      store.recordSync(clock.now(), 'ok', null);
      return status();
    } catch (error) {
      failures += 1;
      const failure =
        error instanceof TerminalError
          ? error
          : new TerminalError('sync_failed', `sync failed: ${(error as Error).message}`);
      if (failure.details?.platformCode === 'terminal_suspended') {
        store.setSuspended(true, clock.now());
      }
      store.recordSync(clock.now(), failure.code, failure.message);
      throw failure;
    }
  }

  function schedule(): void {
    if (timer !== undefined) timers.clearTimeout(timer);
    timer = undefined;
    scheduledAt = null;
    if (!running) return;
    const now = clock.now();
    const at = nextSyncAt({
      identity: store.identity(),
      certificate: store.certificate(now),
      hotlistIssuedAt: hotlist.index.issuedAt,
      record: store.syncRecord(),
      failures,
      now,
    });
    if (at === null) return;
    scheduledAt = at;
    timer = timers.setTimeout(
      () => {
        timer = undefined;
        service.syncNow().catch(() => undefined); // recorded and published; the schedule retries
      },
      Math.max(0, at - now) * 1000,
    );
  }

  const service: SyncService = {
    syncNow() {
      inFlight ??= sync().finally(() => {
        inFlight = undefined;
        schedule();
        publishStatus();
      });
      return inFlight;
    },
    status,
    async refreshTrustKeys() {
      await refreshView();
      publishStatus();
    },
    setup() {
      const now = clock.now();
      const identity = store.identity();
      const certificate = store.certificate(now);
      const reason = notReadyReason(identity, certificate, hotlist.index, now);
      if (reason !== undefined || identity === undefined) {
        const why = reason ?? 'not_enrolled';
        return { notReady: { reason: why, message: NOT_READY_MESSAGES[why] } };
      }
      const own = enrollment.identity();
      if (own === undefined) {
        return { notReady: { reason: 'not_enrolled', message: NOT_READY_MESSAGES.not_enrolled } };
      }
      return {
        identity: own,
        parameters: identity.parameters,
        trustKeys: store.trustKeys(),
        hotlist: hotlist.index,
      };
    },
    start() {
      running = true;
      schedule();
      publishStatus();
    },
    stop() {
      running = false;
      schedule();
    },
  };
  return service;
}
