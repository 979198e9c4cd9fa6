/**
 * The PC/SC driver: every reader pcscd offers (an ACR122U with a phone in HCE, any PC/SC
 * reader, vpcd's slots), through the NfcPcscReader adapter. Readers come and go with
 * pcscd; when pcscd itself goes away every card in flight ends with reader_gone, the
 * readers are dropped, one status line says so, and the adapter waits on pcscd's socket
 * (never on a spinning PC/SC context) until a second line says it is back.
 *
 * Where the PC/SC stack is not installed, start() resolves with no readers and one status
 * line saying what is missing and how to get it; nothing throws.
 */
import { CardSession } from '../card-session';
import { DriverListeners } from '../driver-events';
import {
  ReaderError,
  type ReaderDriver,
  type ReaderDriverEvents,
  type ReaderErrorCode,
  type ReaderInfo,
} from '../reader';
import { isReaderGone, PcscReaderError } from './errors';
import { pcscStack, type PcscStack } from './load';
import { pcscdAccepts } from './pcscd-socket';
import { NfcPcscReader, type CardArrival } from './nfc-reader';

export interface PcscDriverOptions {
  /** The nfc-pcsc stack; the process's lazily loaded one by default (tests inject). */
  readonly stack?: PcscStack;
  /** Only readers whose name passes are used. */
  readonly acceptReader?: (name: string) => boolean;
  readonly socketPath?: string;
  /** How long start() waits for pcscd before resolving and waiting in the background. */
  readonly startTimeoutMs?: number;
}

interface Slot {
  readonly name: string;
  session: CardSession | undefined;
  lastError: string | undefined;
}

/**
 * What a failed PC/SC exchange means for the checkout. pcscd killed mid-exchange does not
 * always say so (pcsc-lite answered "Access denied", 0x8010006A, here): an unclassified
 * failure is reader_gone when pcscd's socket no longer accepts connections.
 */
async function pcscFailure(error: unknown, socketPath: string | undefined): Promise<ReaderError> {
  const failure = classified(error);
  if (failure.code !== 'transmit_failed' || (await pcscdAccepts(socketPath, 500))) return failure;
  return new ReaderError('reader_gone', `pcscd went away: ${failure.message}`, { cause: error });
}

function classified(error: unknown): ReaderError {
  const message = error instanceof Error ? error.message : String(error);
  let code: ReaderErrorCode = 'transmit_failed';
  if (error instanceof PcscReaderError) {
    if (error.code === 'card_removed' || error.code === 'no_card') code = 'card_removed';
    else if (error.code === 'closed' || error.code === 'pcscd_unavailable') code = 'reader_gone';
    else if (error.code === 'pcsc_unavailable') code = 'pcsc_unavailable';
    else if (isReaderGone(error)) code = 'reader_gone';
  }
  return new ReaderError(code, message, { cause: error });
}

export class PcscReaderDriver implements ReaderDriver {
  readonly kind = 'pcsc';
  private readonly listeners = new DriverListeners();
  private readonly slots = new Map<string, Slot>();
  private adapter: NfcPcscReader | undefined;
  private started = false;
  /** pcscd is away (or was never there): the next `ready` is news. */
  private waiting = false;
  private everReady = false;

  constructor(private readonly options: PcscDriverOptions = {}) {}

  on<E extends keyof ReaderDriverEvents>(
    event: E,
    listener: (payload: ReaderDriverEvents[E]) => void,
  ): () => void {
    return this.listeners.on(event, listener);
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const stack = this.options.stack ?? pcscStack();
    if (!stack.available) {
      this.listeners.emit('status', { level: 'warning', message: stack.notice });
      return;
    }
    const adapter = new NfcPcscReader({
      stack,
      waitInBackground: true,
      startTimeoutMs: this.options.startTimeoutMs ?? 2_000,
      ...(this.options.acceptReader ? { acceptReader: this.options.acceptReader } : {}),
      ...(this.options.socketPath === undefined ? {} : { socketPath: this.options.socketPath }),
    });
    this.adapter = adapter;
    this.listen(adapter);
    try {
      await adapter.start();
    } catch (error) {
      const message = `PC/SC readers did not start: ${error instanceof Error ? error.message : String(error)}`;
      this.listeners.emit('status', { level: 'error', message });
    }
  }

  close(): Promise<void> {
    this.adapter?.close();
    this.adapter = undefined;
    for (const slot of this.slots.values()) slot.session?.end('reader_gone', 'the driver closed');
    this.slots.clear();
    this.started = false;
    return Promise.resolve();
  }

  readers(): ReaderInfo[] {
    return [...this.slots.values()].map((slot) => this.infoOf(slot));
  }

  private infoOf(slot: Slot): ReaderInfo {
    return {
      name: slot.name,
      driver: this.kind,
      state: slot.session?.gone === false ? 'card_present' : 'ready',
      lastError: slot.lastError,
    };
  }

  private listen(adapter: NfcPcscReader): void {
    adapter.on('reader', ({ name }) => {
      if (this.adapter !== adapter) return;
      const slot: Slot = { name, session: undefined, lastError: undefined };
      this.slots.set(name, slot);
      this.listeners.emit('reader-added', this.infoOf(slot));
    });
    adapter.on('reader-removed', ({ name }) => this.drop(name, 'the reader was unplugged'));
    adapter.on('card', (arrival) => this.arrived(adapter, arrival));
    adapter.on('card-removed', ({ reader }) =>
      this.left(reader, 'card_removed', 'the card left the field'),
    );
    adapter.on('recovering', ({ reason }) => {
      const message = this.everReady
        ? `pcscd went away; waiting for it (${reason})`
        : `pcscd is not running; waiting for it (${reason})`;
      this.waiting = true;
      for (const name of [...this.slots.keys()]) this.drop(name, 'pcscd went away');
      this.listeners.emit('status', { level: 'warning', message });
    });
    adapter.on('ready', () => {
      this.everReady = true;
      if (!this.waiting) return;
      this.waiting = false;
      this.listeners.emit('status', { level: 'info', message: 'PC/SC ready again' });
    });
    // Faults of the whole stack, and a reader's that mean pcscd or the reader went away, are
    // told by `recovering` / `reader-removed` once; a reader's other faults are news.
    adapter.on('fault', ({ reader, error }) => {
      const slot = reader === undefined ? undefined : this.slots.get(reader);
      if (!slot || isReaderGone(error)) return;
      slot.lastError = `${slot.name}: ${error.message}`;
      this.listeners.emit('status', {
        level: 'warning',
        message: slot.lastError,
        readerName: slot.name,
      });
    });
  }

  private arrived(adapter: NfcPcscReader, arrival: CardArrival): void {
    const slot = this.slots.get(arrival.reader);
    if (!slot || this.adapter !== adapter) return;
    this.left(slot.name, 'card_removed', 'another card arrived');
    const session = new CardSession(slot.name, {
      transmit: (command) => adapter.transmit(command, slot.name),
      failure: (error) => pcscFailure(error, this.options.socketPath),
    });
    slot.session = session.selectedWith(arrival.select);
    this.listeners.emit('card', session);
  }

  private left(readerName: string, code: ReaderErrorCode, message: string): void {
    const slot = this.slots.get(readerName);
    const session = slot?.session;
    if (!slot || !session) return;
    slot.session = undefined;
    session.end(code, message);
    this.listeners.emit('card-removed', { readerName });
  }

  private drop(name: string, why: string): void {
    if (!this.slots.has(name)) return;
    this.left(name, 'reader_gone', why);
    this.slots.delete(name);
    this.listeners.emit('reader-removed', { name });
  }
}
