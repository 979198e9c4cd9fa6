/**
 * What the checkout needs of a contactless reader, whatever the driver: readers come and go,
 * a card arrives already SELECTed (nfc-pcsc SELECTs the wallet AID itself on arrival, so the
 * emulated driver does the same), APDUs are exchanged with 61xx chaining done, and a card
 * that leaves mid-exchange rejects the exchange with ReaderError('card_removed').
 *
 * Drivers: `emulated` (an in-process field the demo's phones are presented to) and `pcsc`
 * (nfc-pcsc over pcscd: an ACR122U with a phone in HCE, any PC/SC reader, or vpcd).
 */
import type { ResponseApdu } from '../../../protocol';

export type ReaderDriverKind = 'emulated' | 'pcsc';

export type ReaderErrorCode =
  | 'card_removed' // the card left the field before the answer came
  | 'no_card' // nothing in the field
  | 'reader_gone' // the reader was unplugged (or pcscd went away) during the exchange
  | 'transmit_failed' // the reader answered with an error
  | 'pcsc_unavailable'; // the PC/SC stack is not installed or not running

export class ReaderError extends Error {
  override readonly name = 'ReaderError';
  constructor(
    readonly code: ReaderErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** One card in one reader's field, from arrival to removal. */
export interface CardInField {
  readonly readerName: string;
  /** The answer to the SELECT of the wallet AID made on arrival (data without SW, and SW). */
  readonly select: ResponseApdu;
  /** One command → its whole answer (61xx GET RESPONSE followed, 6Cxx re-sent). */
  exchange(command: Uint8Array): Promise<ResponseApdu>;
  /** True once the card has left the field (every later exchange rejects). */
  readonly gone: boolean;
}

export type ReaderState = 'ready' | 'card_present' | 'busy' | 'error';

export interface ReaderInfo {
  readonly name: string;
  readonly driver: ReaderDriverKind;
  readonly state: ReaderState;
  /** The last fault seen on this reader, in words; undefined when none. */
  readonly lastError: string | undefined;
}

export interface ReaderDriverEvents {
  'reader-added': ReaderInfo;
  'reader-removed': { readonly name: string };
  card: CardInField;
  'card-removed': { readonly readerName: string };
  /** Driver-wide news: pcscd went away / came back, PC/SC unavailable (one line, no stack). */
  status: { readonly level: 'info' | 'warning' | 'error'; readonly message: string };
}

/** A source of readers and cards. Several drivers may run at once (the reader service). */
export interface ReaderDriver {
  readonly kind: ReaderDriverKind;
  start(): Promise<void>;
  close(): Promise<void>;
  readers(): ReaderInfo[];
  on<E extends keyof ReaderDriverEvents>(
    event: E,
    listener: (payload: ReaderDriverEvents[E]) => void,
  ): () => void;
}
