/** Bytes from the wallet → protocol objects; anything that does not decode is a decline. */
import { isProtocolError, type Signed, type SignedObjectType } from '../../../protocol';
import type { DeclineCode } from '../../../preload/contract/declines';
import type { TrustKey } from '../model';
import { decline, type Checked } from './result';
import { issuerKeyFor } from './trust';

/**
 * Runs a protocol decoder. Non-canonical or undecodable TLV (a ProtocolError) is
 * `malformed_answer`, naming the field: the wallet or the air garbled it.
 */
export function tryDecode<T>(decoder: () => T, what: string): Checked<{ value: T }> {
  try {
    return { ok: true, value: decoder() };
  } catch (error) {
    if (!isProtocolError(error)) throw error;
    return decline('malformed_answer', `${what} does not decode: ${error.message} (${error.code})`);
  }
}

/** One canonical envelope of `type`, signature not yet checked. */
export function decodeAnswer<T>(
  type: SignedObjectType<T>,
  bytes: Uint8Array,
): Checked<{ value: Signed<T> }> {
  return tryDecode(() => type.decode(bytes), type.name);
}

/**
 * One canonical envelope of `type`, signed by the trust key it names (`issuerKeyId`), which
 * verifies at `now`. A bad signature is `invalid` with `describe`'s words.
 */
export function decodeIssued<T extends { readonly issuerKeyId: Uint8Array }>(
  type: SignedObjectType<T>,
  bytes: Uint8Array,
  context: { readonly trustKeys: readonly TrustKey[]; readonly now: number },
  invalid: DeclineCode,
  describe: (signed: Signed<T>, issuer: TrustKey, code: string) => string,
): Checked<{ value: Signed<T> }> {
  const decoded = decodeAnswer(type, bytes);
  if (!decoded.ok) return decoded;
  const signed = decoded.value;
  const issuer = issuerKeyFor(
    context.trustKeys,
    signed.value.issuerKeyId,
    context.now,
    type.name.replace('-', ' '),
  );
  if (!issuer.ok) return issuer;
  try {
    type.verify(signed, issuer.key.publicKey);
  } catch (error) {
    if (!isProtocolError(error)) throw error;
    return decline(invalid, describe(signed, issuer.key, error.code));
  }
  return { ok: true, value: signed };
}
