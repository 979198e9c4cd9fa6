/**
 * The reader service: every driver at once (emulated fields, PC/SC readers), one list of
 * readers with their state and last fault, and the one call the checkout makes to get a
 * card: waitForCard. It publishes `readers.changed` and `reader.status` (events.ts).
 *
 * waitForCard resolves with the next card to ARRIVE: a phone still resting on the reader
 * from the previous sale is not taken for the new one (it would pay twice). A named reader
 * that is not there (unplugged, pcscd restarting) is waited for, not refused; the caller's
 * signal ends the wait.
 */
import type { TerminalClock } from '../model';
import type { ReaderEvents, ReaderPublish } from './events';
import {
  ReaderError,
  type CardInField,
  type ReaderDriver,
  type ReaderInfo,
  type ReaderState,
} from './reader';

export interface ReaderServiceDeps {
  readonly drivers: readonly ReaderDriver[];
  readonly publish?: ReaderPublish;
  /** Unix seconds for `reader.status`'s `at`; the system clock by default. */
  readonly clock?: TerminalClock;
}

export interface ReaderService {
  /** Starts every driver; one that fails is reported as a status line, never thrown. */
  start(): Promise<void>;
  /** Closes every driver; pending and later waits reject with ReaderError('reader_gone'). */
  close(): Promise<void>;
  readers(): ReaderInfo[];
  /**
   * The next card to arrive on `readerName` (on any reader when undefined). Rejects with
   * ReaderError('aborted') when `signal` aborts (at once if it already has).
   */
  waitForCard(readerName: string | undefined, signal: AbortSignal): Promise<CardInField>;
}

interface Waiter {
  readonly readerName: string | undefined;
  resolve(card: CardInField): void;
  reject(error: ReaderError): void;
}

const systemClock: TerminalClock = { now: () => Math.floor(Date.now() / 1_000) };

export function createReaderService(deps: ReaderServiceDeps): ReaderService {
  const publish: ReaderPublish = deps.publish ?? (() => {});
  const clock = deps.clock ?? systemClock;
  const entries = new Map<string, ReaderInfo>();
  const waiters = new Set<Waiter>();
  let unsubscribe: (() => void)[] = [];

  const list = (): ReaderInfo[] => [...entries.values()];
  const changed = (): void => publish('readers.changed', { readers: list() });

  function update(name: string, change: Partial<Pick<ReaderInfo, 'state' | 'lastError'>>): void {
    const info = entries.get(name);
    if (!info) return;
    entries.set(name, { ...info, ...change });
    changed();
  }

  function status(event: Omit<ReaderEvents['reader.status'], 'at'>): void {
    publish('reader.status', { ...event, at: clock.now() });
  }

  /** The card as handed out: its failures become the reader's state and last error. */
  function tracked(card: CardInField): CardInField {
    return {
      readerName: card.readerName,
      get select() {
        return card.select;
      },
      get gone() {
        return card.gone;
      },
      exchange: (command) =>
        card.exchange(command).catch((error: unknown) => {
          const message = error instanceof Error ? error.message : String(error);
          const failed = error instanceof ReaderError && error.code === 'transmit_failed';
          const state: ReaderState | undefined = failed ? 'error' : undefined;
          update(card.readerName, { lastError: message, ...(state ? { state } : {}) });
          throw error;
        }),
    };
  }

  function arrived(card: CardInField): void {
    const handed = tracked(card);
    const takers = [...waiters].filter(
      (w) => w.readerName === undefined || w.readerName === card.readerName,
    );
    // Busy: handed to a sale until it leaves; otherwise just lying there.
    update(card.readerName, { state: takers.length > 0 ? 'busy' : 'card_present' });
    for (const waiter of takers) waiter.resolve(handed);
  }

  function listen(driver: ReaderDriver): (() => void)[] {
    return [
      driver.on('reader-added', (info) => {
        entries.set(info.name, { ...info, driver: driver.kind });
        changed();
      }),
      driver.on('reader-removed', ({ name }) => {
        if (entries.delete(name)) changed();
      }),
      driver.on('card', arrived),
      driver.on('card-removed', ({ readerName }) => update(readerName, { state: 'ready' })),
      driver.on('status', ({ level, message, readerName }) => {
        status({ level, message, ...(readerName === undefined ? {} : { readerName }) });
        if (readerName !== undefined) update(readerName, { lastError: message });
      }),
    ];
  }

  let started = false;
  let closed = false;

  return {
    async start() {
      if (started) return;
      started = true;
      unsubscribe = deps.drivers.flatMap(listen);
      const results = await Promise.allSettled(deps.drivers.map((driver) => driver.start()));
      results.forEach((result, index) => {
        if (result.status === 'fulfilled') return;
        const kind = deps.drivers[index]?.kind ?? 'unknown';
        status({
          level: 'error',
          message: `${kind} readers did not start: ${String(result.reason)}`,
        });
      });
      for (const driver of deps.drivers) {
        for (const info of driver.readers()) {
          if (!entries.has(info.name)) entries.set(info.name, info);
        }
      }
      changed();
    },

    async close() {
      if (!started) return;
      started = false;
      closed = true;
      for (const off of unsubscribe.splice(0)) off();
      await Promise.allSettled(deps.drivers.map((driver) => driver.close()));
      for (const waiter of [...waiters]) {
        waiter.reject(new ReaderError('reader_gone', 'the reader service was closed'));
      }
      entries.clear();
      changed();
    },

    readers: list,

    waitForCard(readerName, signal) {
      return new Promise<CardInField>((resolve, reject) => {
        const aborted = (): ReaderError =>
          new ReaderError('aborted', 'the wait for a card was cancelled', { cause: signal.reason });
        if (signal.aborted) {
          reject(aborted());
          return;
        }
        if (closed) {
          reject(new ReaderError('reader_gone', 'the reader service was closed'));
          return;
        }
        const onAbort = (): void => waiter.reject(aborted());
        const settle = (): void => {
          waiters.delete(waiter);
          signal.removeEventListener('abort', onAbort);
        };
        const waiter: Waiter = {
          readerName,
          resolve(card) {
            settle();
            resolve(card);
          },
          reject(error) {
            settle();
            reject(error);
          },
        };
        waiters.add(waiter);
        signal.addEventListener('abort', onAbort, { once: true });
      });
    },
  };
}
