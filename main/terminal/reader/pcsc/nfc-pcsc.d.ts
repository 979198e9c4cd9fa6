/**
 * Hand-written types for nfc-pcsc 0.8.1, which ships none: only what Tapsafe uses, checked
 * against its source (src/NFC.js, src/Reader.js, src/errors.js). Kept here, beside its only
 * user, because tsconfig.json includes this folder; move it if another module needs it.
 */
declare module 'nfc-pcsc' {
  import { EventEmitter } from 'node:events';

  export const TAG_ISO_14443_3 = 'TAG_ISO_14443_3';
  export const TAG_ISO_14443_4 = 'TAG_ISO_14443_4';
  export type CardStandard = typeof TAG_ISO_14443_3 | typeof TAG_ISO_14443_4;

  export interface CardInfo {
    atr?: Buffer;
    standard?: CardStandard;
    type?: CardStandard;
    /** ISO 14443-3 tags: the UID read with FF CA. */
    uid?: string;
    /** ISO 14443-4 cards with auto-processing: the SELECT answer without SW1 SW2. */
    data?: Buffer;
  }

  export interface Logger {
    log(...args: unknown[]): void;
    debug(...args: unknown[]): void;
    info(...args: unknown[]): void;
    warn(...args: unknown[]): void;
    error(...args: unknown[]): void;
  }

  export class BaseError extends Error {
    code: string | null;
    previous?: Error;
  }
  export class TransmitError extends BaseError {}
  export class ConnectError extends BaseError {}
  export class DisconnectError extends BaseError {}
  export class GetUIDError extends BaseError {}

  /** @pokusew/pcsclite's reader, underneath: only what nfc-pcsc does not wrap. */
  export interface PcscLiteReader {
    readonly SCARD_LEAVE_CARD: number;
    readonly SCARD_RESET_CARD: number;
    readonly SCARD_UNPOWER_CARD: number;
    readonly connected: boolean;
    disconnect(disposition: number, callback: (error?: Error | null) => void): void;
  }

  export class Reader extends EventEmitter {
    readonly name: string;
    readonly reader: PcscLiteReader;
    /** Auto-processing SELECTs this AID (hex string or Buffer) when an ISO 14443-4 card arrives. */
    get aid(): Buffer | ((card: CardInfo) => Buffer) | null;
    set aid(value: string | Buffer | ((card: CardInfo) => Buffer));
    autoProcessing: boolean;
    card: CardInfo | null;
    connection: { type: number; protocol: number } | null;
    /** SCardConnect in shared mode (powers the card up if it is off). */
    connect(): Promise<{ type: number; protocol: number }>;
    /** Rejects with TransmitError; throws one synchronously when no card is connected. */
    transmit(data: Buffer, responseMaxLength: number): Promise<Buffer>;
    close(): void;

    on(event: 'card' | 'card.off', listener: (card: CardInfo) => void): this;
    on(event: 'error', listener: (error: Error) => void): this;
    on(event: 'end', listener: () => void): this;
  }

  export class NFC extends EventEmitter {
    /** Connects to pcscd at once; blocks the event loop while pcscd is down. */
    constructor(logger?: Logger);
    close(): void;

    on(event: 'reader', listener: (reader: Reader) => void): this;
    on(event: 'error', listener: (error: Error) => void): this;
  }
}
