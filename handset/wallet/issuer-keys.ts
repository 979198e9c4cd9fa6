/**
 * Checking the platform's signatures (the platform verification unit, claims 7, 21): a
 * notice, token or certificate counts only if it verifies under one of the issuer keys the
 * platform gave at activation, found by the key id the object names.
 */
import { isProtocolError, keyIdOf, type Signed, type SignedObjectType } from '../../protocol';

function findKey(issuerKeys: readonly Uint8Array[], keyId: Uint8Array): Uint8Array | undefined {
  return issuerKeys.find((key) => Buffer.from(keyIdOf(key)).equals(keyId));
}

/**
 * Decodes and verifies `bytes` as `type`, signed by the issuer key named `keyIdOf(value)`.
 * Returns undefined for anything that does not decode or verify — the caller refuses it.
 */
export function openIssuerSigned<T>(
  type: SignedObjectType<T>,
  bytes: Uint8Array,
  issuerKeys: readonly Uint8Array[],
  keyIdOfValue: (value: T) => Uint8Array,
): Signed<T> | undefined {
  try {
    const signed = type.decode(bytes);
    return verifyIssuerSigned(type, signed, issuerKeys, keyIdOfValue) ? signed : undefined;
  } catch (error) {
    if (isProtocolError(error)) return undefined;
    throw error;
  }
}

/** True when an already decoded object verifies under the issuer key it names. */
export function verifyIssuerSigned<T>(
  type: SignedObjectType<T>,
  signed: Signed<T>,
  issuerKeys: readonly Uint8Array[],
  keyIdOfValue: (value: T) => Uint8Array,
): boolean {
  const key = findKey(issuerKeys, keyIdOfValue(signed.value));
  if (key === undefined) return false;
  try {
    type.verify(signed, key);
    return true;
  } catch (error) {
    if (isProtocolError(error)) return false;
    throw error;
  }
}
