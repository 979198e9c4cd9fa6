/**
 * An in-process "reader field" for the desktop demo and tests: the terminal side holds it,
 * phones are presented to it and removed from it, and `transmit` carries one APDU each way.
 *
 * It models the one failure that matters for payments: the card leaving mid-exchange. The
 * answer is handed over on a later tick, so a removal in between (a test, the demo's "pull
 * the phone away" button, the phone switching off) rejects the exchange with
 * CardRemovedError, exactly as nfc-pcsc's transmit rejects when a real card leaves.
 * `tearAfterProcessing` forces the torn tap of S11: the phone has processed the command
 * (PAY signed and stored) and then leaves before the terminal sees the answer.
 */
import { CardRemovedError, NoCardError } from '../errors';
import { TypedEmitter } from '../events';
import type { Card } from './card';

export interface FieldEvents {
  'card-present': { readonly card: Card };
  'card-removed': { readonly card: Card; readonly reason: string };
}

export class InProcessField extends TypedEmitter<FieldEvents> {
  private card: Card | undefined;
  /** Bumped at every arrival and departure: an exchange is valid only within one. */
  private generation = 0;
  private tear: ((command: Uint8Array) => boolean) | undefined;

  constructor(readonly name = 'Tapsafe in-process reader') {
    super();
  }

  get current(): Card | undefined {
    return this.card;
  }

  /** Puts `card` in the field; a card already there leaves first (one card at a time). */
  present(card: Card): void {
    if (this.card === card) return;
    if (this.card) this.remove('another card was presented');
    this.card = card;
    this.generation++;
    card.present();
    this.emit('card-present', { card });
  }

  /** Takes the card out of the field; an exchange in flight rejects with CardRemovedError. */
  remove(reason = 'removed'): void {
    const card = this.card;
    if (!card) return;
    this.card = undefined;
    this.generation++;
    card.remove();
    this.emit('card-removed', { card, reason });
  }

  /**
   * Test and demo hook for S11: the next command for which `matches` is true is processed
   * by the card, which then leaves the field before its answer is delivered.
   */
  tearAfterProcessing(matches: (command: Uint8Array) => boolean = () => true): void {
    this.tear = matches;
  }

  /** Sends one command APDU, resolves with the response APDU. */
  async transmit(command: Uint8Array): Promise<Uint8Array> {
    const card = this.card;
    if (!card) throw new NoCardError();
    if (!card.powered) {
      this.remove('the phone switched off');
      throw new CardRemovedError('the phone switched off');
    }
    const generation = this.generation;
    // A copy: the card must never see the terminal reuse its buffer, nor the reverse.
    const response = card.processApdu(new Uint8Array(command));
    if (this.tear?.(command)) {
      this.tear = undefined;
      this.remove('torn: left the field after processing');
    }
    // Air time: the answer arrives on a later tick, so a removal meanwhile is seen.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (this.generation !== generation || this.card !== card) throw new CardRemovedError();
    return new Uint8Array(response);
  }
}
