/**
 * Checking the platform's signatures (the platform verification unit, claims 7, 21): a
 * notice, token or certificate counts only if it verifies under one of the issuer keys the
 * wallet trusts now, found by the key id the object names. Keys arrive at activation and,
 * later, in issuer-key announcements signed by a key already trusted; a key's end date only
 * ever moves earlier, and past it the key verifies nothing.
 */
import {
  IssuerKeyAnnouncement,
  isProtocolError,
  keyIdOf,
  PUBLIC_KEY_SIZE,
  type Signed,
  type SignedObjectType,
} from '../../protocol';
import type { TrustedIssuerKey } from '../storage/records';

function findKey(
  issuerKeys: readonly TrustedIssuerKey[],
  keyId: Uint8Array,
  now: number,
): Uint8Array | undefined {
  return issuerKeys.find(
    (key) => now <= key.validUntil && Buffer.from(keyIdOf(key.publicKey)).equals(keyId),
  )?.publicKey;
}

/**
 * Decodes and verifies `bytes` as `type`, signed by the issuer key named `keyIdOf(value)`.
 * Returns undefined for anything that does not decode or verify — the caller refuses it.
 */
export function openIssuerSigned<T>(
  type: SignedObjectType<T>,
  bytes: Uint8Array,
  issuerKeys: readonly TrustedIssuerKey[],
  keyIdOfValue: (value: T) => Uint8Array,
  now: number,
): Signed<T> | undefined {
  try {
    const signed = type.decode(bytes);
    return verifyIssuerSigned(type, signed, issuerKeys, keyIdOfValue, now) ? signed : undefined;
  } catch (error) {
    if (isProtocolError(error)) return undefined;
    throw error;
  }
}

/** True when an already decoded object verifies under the issuer key it names, valid now. */
export function verifyIssuerSigned<T>(
  type: SignedObjectType<T>,
  signed: Signed<T>,
  issuerKeys: readonly TrustedIssuerKey[],
  keyIdOfValue: (value: T) => Uint8Array,
  now: number,
): boolean {
  const key = findKey(issuerKeys, keyIdOfValue(signed.value), now);
  if (key === undefined) return false;
  try {
    type.verify(signed, key);
    return true;
  } catch (error) {
    if (isProtocolError(error)) return false;
    throw error;
  }
}

/**
 * The trusted keys after a sync's announcements, each checked against the keys trusted
 * before it (so one announcement cannot vouch for another in the same sync unless its
 * signer was already trusted or announced earlier in the list). Announcements that do not
 * verify are ignored: they change nothing. Keys past their end are dropped. The very
 * `issuerKeys` array comes back when nothing changed, so the caller writes only a change.
 */
export function withAnnouncedKeys(
  issuerKeys: readonly TrustedIssuerKey[],
  announcements: readonly Uint8Array[],
  now: number,
): readonly TrustedIssuerKey[] {
  let keys: readonly TrustedIssuerKey[] = issuerKeys;
  for (const bytes of announcements) {
    const signed = openIssuerSigned(IssuerKeyAnnouncement, bytes, keys, (a) => a.issuerKeyId, now);
    if (signed === undefined || signed.value.announcedKey.length !== PUBLIC_KEY_SIZE) continue;
    const { announcedKey, validUntil } = signed.value;
    const held = keys.find((key) => Buffer.from(key.publicKey).equals(announcedKey));
    if (held === undefined)
      keys = [...keys, { publicKey: new Uint8Array(announcedKey), validUntil }];
    else if (validUntil < held.validUntil) {
      keys = keys.map((key) => (key === held ? { ...key, validUntil } : key));
    }
  }
  return keys.every((key) => now <= key.validUntil)
    ? keys
    : keys.filter((key) => now <= key.validUntil);
}
