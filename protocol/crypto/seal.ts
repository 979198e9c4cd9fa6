/**
 * Storage sealing: AES-256-GCM under keys derived with HKDF-SHA256 (node:crypto).
 *
 * Sealed format, version 0x01:
 *
 *   0x01 (1) || nonce (12, random) || ciphertext (len(plaintext)) || tag (16)
 *
 * GCM's additional data is the version byte followed by the caller's `aad`, so every byte of
 * the sealed blob is authenticated and the blob only opens in the context it was sealed for.
 * Random 96-bit nonces: keep each key below 2^32 seals (NIST SP 800-38D, section 8.3).
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { ProtocolError } from '../errors';

export const SEAL_VERSION = 0x01;
export const SEAL_KEY_SIZE = 32;
export const GCM_NONCE_SIZE = 12;
export const GCM_TAG_SIZE = 16;
/** Version + nonce + tag: the size of a sealed empty plaintext. */
export const SEAL_OVERHEAD = 1 + GCM_NONCE_SIZE + GCM_TAG_SIZE;
/** RFC 5869: at most 255 blocks of the hash's output. */
export const HKDF_MAX_LENGTH = 255 * 32;
const HKDF_MAX_INFO = 1024;

/** HKDF-SHA256 (RFC 5869). Throws ProtocolError bad_value for sizes HKDF cannot produce. */
export function deriveKey(
  ikm: Uint8Array,
  salt: Uint8Array,
  info: Uint8Array,
  length = SEAL_KEY_SIZE,
): Uint8Array {
  // Length 0 is legal HKDF but never a useful key; refusing it catches a caller's mistake.
  if (!Number.isSafeInteger(length) || length < 1 || length > HKDF_MAX_LENGTH) {
    throw new ProtocolError(
      'bad_value',
      'length',
      `HKDF output must be 1..${HKDF_MAX_LENGTH} bytes`,
    );
  }
  // node:crypto caps info at 1024 bytes; say so rather than leak its RangeError.
  if (info.length > HKDF_MAX_INFO) {
    throw new ProtocolError(
      'bad_value',
      'info',
      `HKDF info must be at most ${HKDF_MAX_INFO} bytes`,
    );
  }
  try {
    return new Uint8Array(hkdfSync('sha256', ikm, salt, info, length));
  } catch {
    throw new ProtocolError('bad_value', 'hkdf', 'HKDF inputs rejected by node:crypto');
  }
}

function checkKeyAndIv(key: Uint8Array, iv: Uint8Array): void {
  if (key.length !== SEAL_KEY_SIZE)
    throw new ProtocolError('bad_key', 'key', 'AES-256 key must be 32 bytes');
  // Only 96-bit IVs: other sizes go through GHASH, which has had real bugs (see Wycheproof).
  if (iv.length !== GCM_NONCE_SIZE)
    throw new ProtocolError('bad_value', 'nonce', 'GCM nonce must be 12 bytes');
}

/** Raw AES-256-GCM, 96-bit IV, 128-bit tag: returns ciphertext || tag. */
export function aesGcmEncrypt(
  key: Uint8Array,
  iv: Uint8Array,
  plaintext: Uint8Array,
  aad: Uint8Array,
): Uint8Array {
  checkKeyAndIv(key, iv);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: GCM_TAG_SIZE });
  cipher.setAAD(aad);
  return Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

/** Inverse of aesGcmEncrypt; throws ProtocolError seal_failed unless the tag verifies. */
export function aesGcmDecrypt(
  key: Uint8Array,
  iv: Uint8Array,
  ciphertextAndTag: Uint8Array,
  aad: Uint8Array,
): Uint8Array {
  checkKeyAndIv(key, iv);
  // Check the size ourselves: a shorter tag must never be accepted as a truncated match.
  if (ciphertextAndTag.length < GCM_TAG_SIZE) {
    throw new ProtocolError('seal_failed', 'sealed', 'shorter than the authentication tag');
  }
  const split = ciphertextAndTag.length - GCM_TAG_SIZE;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: GCM_TAG_SIZE });
    decipher.setAAD(aad);
    decipher.setAuthTag(ciphertextAndTag.subarray(split));
    // Nothing decrypted is returned unless final() has verified the tag.
    const head = decipher.update(ciphertextAndTag.subarray(0, split));
    return Buffer.concat([head, decipher.final()]);
  } catch {
    throw new ProtocolError('seal_failed', 'sealed', 'authentication failed');
  }
}

const header = Uint8Array.of(SEAL_VERSION);
const gcmAad = (aad: Uint8Array): Uint8Array => Buffer.concat([header, aad]);

/** Seals `plaintext` for the context `aad` under a 32-byte key; see the format above. */
export function seal(key: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Uint8Array {
  const nonce = randomBytes(GCM_NONCE_SIZE);
  return Buffer.concat([header, nonce, aesGcmEncrypt(key, nonce, plaintext, gcmAad(aad))]);
}

/**
 * Opens a sealed blob. Throws ProtocolError seal_failed for a wrong key or aad, any tampering,
 * truncation or unknown version; bad_key only for a key that is not 32 bytes (a caller bug).
 */
export function unseal(key: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Uint8Array {
  if (key.length !== SEAL_KEY_SIZE)
    throw new ProtocolError('bad_key', 'key', 'AES-256 key must be 32 bytes');
  if (sealed.length < SEAL_OVERHEAD) throw new ProtocolError('seal_failed', 'sealed', 'truncated');
  if (sealed[0] !== SEAL_VERSION)
    throw new ProtocolError('seal_failed', 'sealed', 'unknown version');
  const nonce = sealed.subarray(1, 1 + GCM_NONCE_SIZE);
  return aesGcmDecrypt(key, nonce, sealed.subarray(1 + GCM_NONCE_SIZE), gcmAad(aad));
}
