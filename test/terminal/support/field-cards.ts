/**
 * A test adapter from the phone's InProcessField to the checkout's card source: a phone
 * presented to the field is a card arriving (SELECTed on arrival, as nfc-pcsc does), its
 * exchanges follow 61xx chaining, and a phone leaving rejects them with
 * ReaderError('card_removed'). The real emulated driver is the reader service's; this one
 * only serves the checkout's tests.
 */
import { CardRemovedError, NoCardError, type Card, type InProcessField } from '../../../handset';
import { parseResponse, selectCommand, transceiveAll, type ResponseApdu } from '../../../protocol';
import { ReaderError, type CardInField } from '../../../main/terminal/reader/reader';
import type { CardSource } from '../../../main/terminal/checkout';

export class FieldCards implements CardSource {
  /** Bumped at every arrival and departure, as the field does. */
  private generation = 0;
  /** The arrival not yet handed to the checkout. */
  private fresh: number | undefined;
  private readonly waiters = new Set<() => void>();
  /** Test hook: runs before each command reaches the field (e.g. to pull the phone away). */
  beforeTransmit: ((command: Uint8Array) => void) | undefined;
  /** Cards handed out, in order. */
  readonly handedOut: CardInField[] = [];

  constructor(readonly field: InProcessField) {
    if (field.current) this.fresh = ++this.generation;
    field.on('card-present', () => {
      this.fresh = ++this.generation;
      for (const wake of [...this.waiters]) wake();
    });
    field.on('card-removed', () => {
      this.generation++;
      this.fresh = undefined;
    });
  }

  /** Takes the phone out and puts it back in: a new tap. */
  tap(card: Card): void {
    this.field.remove('tapped again');
    this.field.present(card);
  }

  async waitForCard(readerName: string | undefined, signal: AbortSignal): Promise<CardInField> {
    if (readerName !== undefined && readerName !== this.field.name) {
      throw new ReaderError('reader_gone', `no reader named ${readerName}`);
    }
    for (;;) {
      signal.throwIfAborted();
      if (this.fresh !== undefined && this.fresh === this.generation) {
        this.fresh = undefined;
        const card = await this.arrive(this.generation);
        if (card) {
          this.handedOut.push(card);
          return card;
        }
        continue;
      }
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.waiters.delete(wake);
          signal.removeEventListener('abort', wake);
          resolve();
        };
        this.waiters.add(wake);
        signal.addEventListener('abort', wake);
      });
    }
  }

  /** SELECT on arrival; undefined when the card left meanwhile. */
  private async arrive(generation: number): Promise<CardInField | undefined> {
    const transmit = async (command: Uint8Array): Promise<Uint8Array> => {
      this.beforeTransmit?.(command);
      if (this.generation !== generation) throw new ReaderError('card_removed', 'the card left');
      try {
        return await this.field.transmit(command);
      } catch (error) {
        if (error instanceof CardRemovedError || error instanceof NoCardError) {
          throw new ReaderError('card_removed', error.message);
        }
        throw new ReaderError('transmit_failed', (error as Error).message);
      }
    };
    let select: ResponseApdu;
    try {
      select = parseResponse(await transmit(selectCommand()));
    } catch {
      return undefined;
    }
    const left = () => this.generation !== generation;
    return {
      readerName: this.field.name,
      select,
      exchange: (command) => transceiveAll(transmit, command),
      get gone() {
        return left();
      },
    };
  }
}
