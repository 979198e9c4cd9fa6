/**
 * What can go wrong between the phone and vsmartcard-vpcd. Callers (the CLI, tests) tell
 * failures apart by `code`, never by message text. None of these ends the process: the
 * transport reports them as `fault` events and carries on (or reconnects).
 */

export type VpcdErrorCode =
  | 'bad_options' // an address, port or ATR the transport cannot use
  | 'malformed_frame' // vpcd sent a frame that means nothing (empty)
  | 'unknown_control' // a 1-byte control message other than 00, 01, 02, 04
  | 'response_too_long' // the card's answer does not fit a 2-byte length
  | 'bad_response' // the card answered fewer than 2 bytes (no SW1 SW2)
  | 'card_failed' // the card threw while answering: it is treated as gone
  | 'connection'; // the socket failed (pcscd stopped, refused, reset)

export class VpcdError extends Error {
  override readonly name = 'VpcdError';

  constructor(
    readonly code: VpcdErrorCode,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`vpcd ${code}: ${detail}`, options);
  }
}
