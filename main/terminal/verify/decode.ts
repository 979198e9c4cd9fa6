/** Bytes from the wallet → protocol objects; anything that does not decode is a decline. */
import { isProtocolError, type Signed, type SignedObjectType } from '../../../protocol';
import { decline, type Checked } from './result';

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
