/** Fixed signing keys for tests: the same scalars every run, so failures reproduce. */
import { keyIdOf, signingKeyFromScalar, type SigningKey } from '../../../protocol';

const scalar = (byte: number): Uint8Array => new Uint8Array(32).fill(byte);

export const keys = {
  /** Platform issuer key: certificates, tokens, notifications, hotlists, results. */
  issuer: signingKeyFromScalar(scalar(0x11)),
  /** The sample wallet's own key: payment records. */
  wallet: signingKeyFromScalar(scalar(0x22)),
  /** The sample terminal's key: payment requests, settlement batches. */
  terminal: signingKeyFromScalar(scalar(0x33)),
  /** Nobody's key: signatures under it must never verify as anyone else's. */
  stranger: signingKeyFromScalar(scalar(0x44)),
} satisfies Record<string, SigningKey>;

export const issuerKeyId = Uint8Array.from(keyIdOf(keys.issuer.publicKey));
