/**
 * Checks the terminal makes of what the platform signs for it (docs/protocol.md §7.1): a
 * trust key verifies while `retiredAt` is null or the clock is before it, and is found by
 * the object's `issuerKeyId`; a terminal certificate is stored only if it verifies under
 * one and names this terminal's own key, merchant and terminal.
 */
import { isProtocolError, TerminalCertificate, type Signed } from '../../../protocol';
import { TerminalError } from '../errors';
import type { TrustKey } from '../model';

const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

/** The trust key named `keyId` that verifies at `now`, if any. */
export function trustKeyFor(
  keys: readonly TrustKey[],
  keyId: Uint8Array,
  now: number,
): TrustKey | undefined {
  return keys.find((k) => same(k.keyId, keyId) && (k.retiredAt === null || now < k.retiredAt));
}

export interface CertificateExpectation {
  readonly trustKeys: readonly TrustKey[];
  readonly publicKey: Uint8Array;
  readonly merchantId: string;
  readonly terminalId: string;
  readonly now: number;
}

/** Decodes and checks a terminal certificate; `certificate_invalid` says what is wrong. */
export function verifyTerminalCertificate(
  envelope: Uint8Array,
  expected: CertificateExpectation,
): Signed<TerminalCertificate> {
  const invalid = (why: string) =>
    new TerminalError('certificate_invalid', `the platform's certificate is not usable: ${why}`);
  let signed: Signed<TerminalCertificate>;
  try {
    signed = TerminalCertificate.decode(envelope);
  } catch (error) {
    throw invalid(isProtocolError(error) ? error.message : 'it does not decode');
  }
  const { value } = signed;
  const key = trustKeyFor(expected.trustKeys, value.issuerKeyId, expected.now);
  if (key === undefined) throw invalid('it is signed by a key this terminal does not trust');
  try {
    TerminalCertificate.verify(signed, key.publicKey);
  } catch {
    throw invalid('its signature does not verify');
  }
  if (!same(value.terminalPublicKey, expected.publicKey)) {
    throw invalid("it certifies another key than this terminal's");
  }
  if (value.merchantId !== expected.merchantId || value.terminalId !== expected.terminalId) {
    throw invalid(
      `it names ${value.merchantId}/${value.terminalId}, not ${expected.merchantId}/${expected.terminalId}`,
    );
  }
  if (value.validUntil < expected.now) throw invalid('it has already expired');
  return signed;
}
