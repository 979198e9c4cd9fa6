/**
 * Failures of the PC/SC reader adapter. Callers tell them apart by `code`: a card that left
 * mid-exchange (retry the tap, maybe recover a torn payment) is not a reader that vanished
 * (wait for pcscd) nor a card that never came.
 */
export type PcscReaderErrorCode =
  | 'no_card' // no card is connected on any (matching) reader
  | 'card_removed' // the card left or was reset during the exchange
  | 'transmit_failed' // any other PC/SC failure of the exchange
  | 'pcscd_unavailable' // pcscd's socket does not accept connections
  | 'pcsc_unavailable' // nfc-pcsc / @pokusew/pcsclite is not installed or not built (load.ts)
  | 'closed'; // the adapter was closed

export class PcscReaderError extends Error {
  override readonly name = 'PcscReaderError';

  constructor(
    readonly code: PcscReaderErrorCode,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`pcsc ${code}: ${detail}`, options);
  }
}

/** PC/SC return codes that mean the card, not the reader, is gone (winscard.h). */
const CARD_GONE = new Set([
  0x8010000c, // SCARD_E_NO_SMARTCARD
  0x80100067, // SCARD_W_UNPOWERED_CARD
  0x80100068, // SCARD_W_RESET_CARD
  0x80100069, // SCARD_W_REMOVED_CARD
]);

/** The "(0x8010…)" code @pokusew/pcsclite appends to its messages, if any. */
export function pcscCodeOf(error: unknown): number | undefined {
  for (let e: unknown = error; e instanceof Error;) {
    const match = /\(0x([0-9a-f]{8})\)/i.exec(e.message);
    if (match?.[1] !== undefined) return Number.parseInt(match[1], 16);
    e = (e as { previous?: unknown }).previous ?? e.cause;
  }
  return undefined;
}

export function isCardGone(error: unknown): boolean {
  const code = pcscCodeOf(error);
  return code !== undefined && CARD_GONE.has(code);
}

/** PC/SC return codes that mean the reader or pcscd itself is gone, not just the card. */
const READER_GONE = new Set([
  0x80100003, // SCARD_E_INVALID_HANDLE (the context died with pcscd)
  0x80100009, // SCARD_E_UNKNOWN_READER
  0x80100013, // SCARD_F_COMM_ERROR
  0x80100017, // SCARD_E_READER_UNAVAILABLE
  0x8010001d, // SCARD_E_NO_SERVICE
  0x8010001e, // SCARD_E_SERVICE_STOPPED
  0x8010002e, // SCARD_E_NO_READERS_AVAILABLE
]);

export function isReaderGone(error: unknown): boolean {
  const code = pcscCodeOf(error);
  return code !== undefined && READER_GONE.has(code);
}
