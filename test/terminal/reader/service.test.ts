/**
 * The reader service's own bookkeeping, over a scripted driver: the readers list and its
 * events, waitForCard's routing and cancellation, a driver that fails to start, failures
 * of handed-out cards becoming the reader's state and last error, and close().
 */
import { describe, expect, it } from 'vitest';
import { DriverListeners } from '../../../main/terminal/reader/driver-events';
import type { ReaderEvents } from '../../../main/terminal/reader/events';
import {
  ReaderError,
  type CardInField,
  type ReaderDriver,
  type ReaderDriverEvents,
  type ReaderInfo,
} from '../../../main/terminal/reader/reader';
import { createReaderService } from '../../../main/terminal/reader/service';

/** A driver the test moves by hand: readers come and go, cards arrive when told. */
class ScriptedDriver implements ReaderDriver {
  readonly kind = 'emulated';
  readonly events = new DriverListeners();
  closed = false;
  constructor(private readonly failStart?: Error) {}
  on<E extends keyof ReaderDriverEvents>(e: E, l: (p: ReaderDriverEvents[E]) => void) {
    return this.events.on(e, l);
  }
  start() {
    return this.failStart ? Promise.reject(this.failStart) : Promise.resolve();
  }
  close() {
    this.closed = true;
    return Promise.resolve();
  }
  readers(): ReaderInfo[] {
    return [];
  }
  plug(name: string) {
    this.events.emit('reader-added', {
      name,
      driver: 'pcsc',
      state: 'ready',
      lastError: undefined,
    });
  }
  card(readerName: string, fail?: ReaderError): CardInField {
    const card: CardInField = {
      readerName,
      select: { data: new Uint8Array(0), sw: 0x9000 },
      gone: false,
      exchange: () =>
        fail ? Promise.reject(fail) : Promise.resolve({ data: new Uint8Array(0), sw: 0x9000 }),
    };
    this.events.emit('card', card);
    return card;
  }
}

function setup(...drivers: ScriptedDriver[]) {
  const published: { event: keyof ReaderEvents; payload: unknown }[] = [];
  const service = createReaderService({
    drivers,
    publish: (event, payload) => published.push({ event, payload }),
    clock: { now: () => 42 },
  });
  return { service, published };
}

const settled = (promise: Promise<unknown>) =>
  promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );

describe('the reader service', () => {
  it('keeps the readers list, by driver, and publishes it whole at every change', async () => {
    const driver = new ScriptedDriver();
    const { service, published } = setup(driver);
    await service.start();
    driver.plug('A');
    driver.plug('B');
    // The kind is the driver's, whatever the driver put in the info.
    expect(service.readers()).toEqual([
      { name: 'A', driver: 'emulated', state: 'ready', lastError: undefined },
      { name: 'B', driver: 'emulated', state: 'ready', lastError: undefined },
    ]);
    driver.card('A');
    expect(service.readers()[0]?.state).toBe('card_present');
    driver.events.emit('card-removed', { readerName: 'A' });
    driver.events.emit('reader-removed', { name: 'B' });
    expect(service.readers().map((r) => [r.name, r.state])).toEqual([['A', 'ready']]);
    expect(published.at(-1)).toEqual({
      event: 'readers.changed',
      payload: { readers: service.readers() },
    });
  });

  it('hands a card to the waits on its reader and to open waits, not to others', async () => {
    const driver = new ScriptedDriver();
    const { service } = setup(driver);
    await service.start();
    driver.plug('A');
    driver.plug('B');
    const onB = settled(service.waitForCard('B', AbortSignal.timeout(1_000)));
    const onAny = service.waitForCard(undefined, AbortSignal.timeout(1_000));
    const onA = service.waitForCard('A', AbortSignal.timeout(1_000));
    driver.card('A');
    const [any, a] = await Promise.all([onAny, onA]);
    expect(any).toBe(a);
    expect(a.readerName).toBe('A');
    expect(service.readers()[0]?.state).toBe('busy');
    // The wait on B is still open: it takes B's card, not A's.
    driver.card('B');
    expect(((await onB) as { value: CardInField }).value.readerName).toBe('B');
  });

  it('rejects a cancelled wait with ReaderError aborted and forgets it', async () => {
    const driver = new ScriptedDriver();
    const { service } = setup(driver);
    await service.start();
    driver.plug('A');
    const controller = new AbortController();
    const wait = settled(service.waitForCard('A', controller.signal));
    controller.abort();
    const { error } = (await wait) as { error: ReaderError };
    expect(error).toBeInstanceOf(ReaderError);
    expect(error.code).toBe('aborted');
    driver.card('A');
    expect(service.readers()[0]?.state).toBe('card_present');
  });

  it('turns failures of a handed-out card into the reader state and last error', async () => {
    const driver = new ScriptedDriver();
    const { service } = setup(driver);
    await service.start();
    driver.plug('A');
    const wait = service.waitForCard('A', AbortSignal.timeout(1_000));
    driver.card('A', new ReaderError('transmit_failed', 'A: the reader answered 6F00'));
    const card = await wait;
    await expect(card.exchange(Uint8Array.of(0, 0xa4, 4, 0))).rejects.toMatchObject({
      code: 'transmit_failed',
    });
    expect(service.readers()[0]).toMatchObject({
      state: 'error',
      lastError: 'A: the reader answered 6F00',
    });
  });

  it('reports a driver that fails to start and a reader fault as status lines, and runs on', async () => {
    const broken = new ScriptedDriver(new Error('no such device'));
    const working = new ScriptedDriver();
    const { service, published } = setup(broken, working);
    await service.start();
    working.plug('A');
    working.events.emit('status', { level: 'warning', message: 'A: antenna', readerName: 'A' });
    expect(published.filter((p) => p.event === 'reader.status').map((p) => p.payload)).toEqual([
      { level: 'error', message: 'emulated readers did not start: Error: no such device', at: 42 },
      { level: 'warning', message: 'A: antenna', readerName: 'A', at: 42 },
    ]);
    expect(service.readers()[0]?.lastError).toBe('A: antenna');
  });

  it('closes its drivers and ends the waits still open', async () => {
    const driver = new ScriptedDriver();
    const { service } = setup(driver);
    await service.start();
    driver.plug('A');
    const wait = settled(service.waitForCard(undefined, new AbortController().signal));
    await service.close();
    expect(driver.closed).toBe(true);
    expect(((await wait) as { error: ReaderError }).error.code).toBe('reader_gone');
    expect(service.readers()).toEqual([]);
    driver.card('A'); // no longer heard
    expect(service.readers()).toEqual([]);
    const late = await settled(service.waitForCard('A', new AbortController().signal));
    expect((late as { error: ReaderError }).error.code).toBe('reader_gone');
  });
});
