/**
 * The emulated driver: readers that are in-process fields, the ones the demo's phones are
 * held to. It never imports handset/ (the layering forbids it): a field is anything shaped
 * like handset's InProcessField. Plugging a reader in is `attach(field)`, unplugging it
 * `detach(name)`; several may be attached at once.
 *
 * Like nfc-pcsc, it SELECTs the wallet AID itself when a card arrives, and announces the
 * card with that answer whatever its status word (see reader.ts).
 */
import { selectCommand } from '../../../protocol';
import { CardSession } from './card-session';
import { DriverListeners } from './driver-events';
import {
  ReaderError,
  type ReaderDriver,
  type ReaderDriverEvents,
  type ReaderErrorCode,
  type ReaderInfo,
} from './reader';

/** What the driver needs of a field: handset's InProcessField, structurally. */
export interface EmulatedField {
  readonly name: string;
  /** The card in the field now, if any. */
  readonly current: unknown;
  /** One command APDU → one response APDU; rejects with a CardRemovedError-named error. */
  transmit(command: Uint8Array): Promise<Uint8Array>;
  on(event: 'card-present' | 'card-removed', listener: (payload: unknown) => void): () => void;
}

interface Attached {
  readonly field: EmulatedField;
  readonly unsubscribe: (() => void)[];
  session: CardSession | undefined;
  /** The session's card was announced (its SELECT answered). */
  announced: boolean;
  lastError: string | undefined;
}

/** handset's transport errors, told apart by name: the terminal may not import their classes. */
function fieldFailure(error: unknown): ReaderError {
  const name = (error as { name?: unknown } | null)?.name;
  const message = error instanceof Error ? error.message : String(error);
  const left = name === 'CardRemovedError' || name === 'NoCardError';
  return new ReaderError(left ? 'card_removed' : 'transmit_failed', message, { cause: error });
}

export class EmulatedReaderDriver implements ReaderDriver {
  readonly kind = 'emulated';
  private readonly fields = new Map<string, Attached>();
  private readonly listeners = new DriverListeners();
  private started = false;

  constructor(fields: Iterable<EmulatedField> = []) {
    for (const field of fields) this.attach(field);
  }

  on<E extends keyof ReaderDriverEvents>(
    event: E,
    listener: (payload: ReaderDriverEvents[E]) => void,
  ): () => void {
    return this.listeners.on(event, listener);
  }

  start(): Promise<void> {
    if (!this.started) {
      this.started = true;
      for (const attached of this.fields.values()) this.announce(attached);
    }
    return Promise.resolve();
  }

  /** Unplugs every reader (cards in them end with reader_gone). */
  close(): Promise<void> {
    for (const name of [...this.fields.keys()]) this.detach(name);
    this.started = false;
    return Promise.resolve();
  }

  readers(): ReaderInfo[] {
    return [...this.fields.values()].map((attached) => this.infoOf(attached));
  }

  /** Plugs a reader in; throws ReaderError('reader_exists') if its name is taken. */
  attach(field: EmulatedField): void {
    if (this.fields.has(field.name)) {
      throw new ReaderError('reader_exists', `a reader named "${field.name}" is already attached`);
    }
    const attached: Attached = {
      field,
      unsubscribe: [],
      session: undefined,
      announced: false,
      lastError: undefined,
    };
    this.fields.set(field.name, attached);
    attached.unsubscribe.push(
      field.on('card-present', () => this.arrived(attached)),
      field.on('card-removed', () =>
        this.left(attached, 'card_removed', 'the card left the field'),
      ),
    );
    if (this.started) this.announce(attached);
  }

  /** Unplugs a reader: an exchange in flight rejects with reader_gone. False if unknown. */
  detach(name: string): boolean {
    const attached = this.fields.get(name);
    if (!attached) return false;
    this.fields.delete(name);
    for (const unsubscribe of attached.unsubscribe) unsubscribe();
    this.left(attached, 'reader_gone', 'the reader was unplugged');
    if (this.started) this.listeners.emit('reader-removed', { name });
    return true;
  }

  private infoOf(attached: Attached): ReaderInfo {
    const present = attached.announced && attached.session?.gone === false;
    return {
      name: attached.field.name,
      driver: this.kind,
      state: present ? 'card_present' : 'ready',
      lastError: attached.lastError,
    };
  }

  private announce(attached: Attached): void {
    this.listeners.emit('reader-added', this.infoOf(attached));
    if (attached.field.current !== undefined) this.arrived(attached);
  }

  private arrived(attached: Attached): void {
    if (!this.started || this.fields.get(attached.field.name) !== attached) return;
    this.left(attached, 'card_removed', 'another card was presented');
    const { field } = attached;
    const session = new CardSession(field.name, {
      transmit: (command) => field.transmit(command),
      failure: fieldFailure,
    });
    attached.session = session;
    session.exchange(selectCommand()).then(
      (answer) => {
        if (attached.session !== session || session.gone) return;
        attached.announced = true;
        this.listeners.emit('card', session.selectedWith(answer));
      },
      (error: unknown) => {
        // A card that left before answering simply never arrived.
        if (attached.session !== session || session.gone) return;
        if (error instanceof ReaderError && error.code === 'card_removed') return;
        const message = `${field.name}: the card did not answer the SELECT (${String(error)})`;
        attached.lastError = message;
        this.listeners.emit('status', { level: 'warning', message, readerName: field.name });
      },
    );
  }

  private left(attached: Attached, code: ReaderErrorCode, message: string): void {
    const session = attached.session;
    if (!session) return;
    const announced = attached.announced;
    attached.session = undefined;
    attached.announced = false;
    session.end(code, message);
    if (announced) this.listeners.emit('card-removed', { readerName: attached.field.name });
  }
}
