/**
 * What the vpcd transport drives, and how a handset Card (a Phone) becomes one. Kept apart
 * from the socket code so the CLI and tests can build cards without opening anything.
 */
import type { Card } from './card';
import { VpcdError } from './vpcd-errors';

/**
 * What vpcd drives. `processApdu` must answer synchronously (data + SW1 SW2); a throw means
 * the card is gone (a switched-off phone) and the transport removes it from the reader.
 */
export interface VirtualCard {
  readonly atr: Uint8Array;
  processApdu(command: Uint8Array): Uint8Array;
  powerOn?(): void;
  powerOff?(): void;
  /** A warm reset: a new session. Without it, reset is power off then on. */
  reset?(): void;
}

/**
 * An Android HCE phone as an ACR122U presents it. nfc-pcsc takes a card whose ATR has 4F
 * at index 5 for an ISO 14443-3 tag (MIFARE) and never SELECTs it; this one is ISO 14443-4.
 */
export const HCE_ATR: Uint8Array = Uint8Array.from([0x3b, 0x80, 0x80, 0x01, 0x01]);

/** Presents a handset Card (a Phone) to vpcd: power maps to entering / leaving the field. */
export function virtualCardOf(card: Card, atr: Uint8Array = HCE_ATR): VirtualCard {
  return {
    atr,
    processApdu: (command) => card.processApdu(command),
    powerOn: () => card.present(),
    powerOff: () => card.remove(),
    // Card.present() starts a new session, which is what a warm reset means.
    reset: () => card.present(),
  };
}

export function checkAtr(atr: Uint8Array): void {
  // ISO 7816-3: TS + T0 at least, 33 bytes at most.
  if (!(atr instanceof Uint8Array) || atr.length < 2 || atr.length > 33) {
    throw new VpcdError('bad_options', 'an ATR is 2 to 33 bytes');
  }
  // nfc-pcsc tests atr[5], the sixth byte (ENVIRONMENT.md says "5th", counting from 0).
  if (atr[5] === 0x4f) {
    throw new VpcdError('bad_options', 'ATR byte 5 = 4F makes nfc-pcsc treat the card as MIFARE');
  }
}
