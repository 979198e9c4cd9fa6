/**
 * What the checkout needs of a contactless reader, whatever the driver: readers come and go,
 * a card arrives already SELECTed (both drivers SELECT the wallet AID themselves on arrival,
 * as nfc-pcsc's auto-processing would), APDUs are exchanged with 61xx chaining done, and a
 * card that leaves mid-exchange rejects the exchange with ReaderError('card_removed').
 *
 * A card that answers the SELECT with anything but 9000 (another applet: 6A82) still arrives
 * as a `card`, its `select.sw` telling why, so that the checkout can decline it as "not a
 * Tapsafe wallet". A card that leaves (or fails) before answering the SELECT does not arrive
 * at all; a failure is reported as a `status` about that reader.
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
  | 'pcsc_unavailable' // the PC/SC stack is not installed or not running
  | 'reader_exists' // a reader of that name is already attached (emulated driver)
  | 'aborted'; // the wait for a card was cancelled (its AbortSignal fired)

export class ReaderError extends Error {
  override readonly name = 'ReaderError';
  constructor(
    readonly code: ReaderErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
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
  /**
   * News in one line, no stack: pcscd went away / came back, PC/SC unavailable (driver-wide),
   * or a fault of one reader (`readerName` set: it becomes that reader's lastError).
   */
  status: {
    readonly level: 'info' | 'warning' | 'error';
    readonly message: string;
    readonly readerName?: string;
  };
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
