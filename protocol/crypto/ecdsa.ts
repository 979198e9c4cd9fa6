/**
 * ECDSA P-256 / SHA-256 through node:crypto (OpenSSL speed). Signatures are IEEE P1363
 * r||s, 64 bytes; we always emit low-S but accept either S, as Wycheproof's P1363 vectors
 * expect, because nothing in the protocol is keyed on signature bytes.
 */
import {
  createECDH,
  createHash,
  createPrivateKey,
  createPublicKey,
  ECDH,
  generateKeyPairSync,
  hash,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { ProtocolError } from '../errors';

export const PUBLIC_KEY_SIZE = 33;
export const SIGNATURE_SIZE = 64;
export const KEY_ID_SIZE = 8;

/** Order of the P-256 group. */
const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const HALF_N = N >> 1n;

export interface SigningKey {
  readonly privateKey: KeyObject;
  /** Compressed SEC1 public key, 33 bytes. */
  readonly publicKey: Uint8Array;
}

const b64url = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');

function compress(keyObject: KeyObject): Uint8Array {
  const jwk = keyObject.export({ format: 'jwk' });
  const x = Buffer.from(jwk.x ?? '', 'base64url');
  const y = Buffer.from(jwk.y ?? '', 'base64url');
  return Buffer.concat([Buffer.of(0x02 | ((y[31] as number) & 1)), x]);
}

export function generateSigningKey(): SigningKey {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { privateKey, publicKey: compress(privateKey) };
}

/** Rebuilds a key from its 32-byte private scalar (fixed keys for vectors, sealed storage). */
export function signingKeyFromScalar(scalar: Uint8Array): SigningKey {
  if (scalar.length !== 32)
    throw new ProtocolError('bad_key', 'privateKey', 'scalar must be 32 bytes');
  try {
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(scalar);
    const point = ecdh.getPublicKey();
    const privateKey = createPrivateKey({
      format: 'jwk',
      key: {
        kty: 'EC',
        crv: 'P-256',
        d: b64url(scalar),
        x: b64url(point.subarray(1, 33)),
        y: b64url(point.subarray(33, 65)),
      },
    });
    return { privateKey, publicKey: compress(privateKey) };
  } catch {
    throw new ProtocolError('bad_key', 'privateKey', 'scalar is not a valid P-256 private key');
  }
}

export function exportScalar(key: SigningKey): Uint8Array {
  return Buffer.from(key.privateKey.export({ format: 'jwk' }).d ?? '', 'base64url');
}

// Importing a key costs about as much as a tenth of a verification; cache recent ones so
// verifying many records of the same wallet stays at crypto.verify speed.
const keyCache = new Map<string, KeyObject>();
const KEY_CACHE_LIMIT = 4096;
// Callers usually hold on to the same key bytes (a certificate, a loaded wallet row); the
// identity lookup spares even the hex conversion of the by-value cache. Arrays are mutable,
// so a hit also compares a copy of the bytes: a reused buffer must never keep its old key.
const keyByBytes = new WeakMap<Uint8Array, { bytes: Buffer; keyObject: KeyObject }>();

export function importPublicKey(compressed: Uint8Array, field = 'publicKey'): KeyObject {
  const same = keyByBytes.get(compressed);
  if (same?.bytes.equals(compressed)) return same.keyObject;
  const keyObject = importByValue(compressed, field);
  keyByBytes.set(compressed, { bytes: Buffer.from(compressed), keyObject });
  return keyObject;
}

function importByValue(compressed: Uint8Array, field: string): KeyObject {
  const cacheKey = Buffer.from(compressed).toString('hex');
  const cached = keyCache.get(cacheKey);
  if (cached) return cached;
  if (compressed.length !== PUBLIC_KEY_SIZE || (compressed[0] !== 0x02 && compressed[0] !== 0x03)) {
    throw new ProtocolError('bad_key', field, 'not a 33-byte compressed SEC1 point');
  }
  let keyObject: KeyObject;
  try {
    const point = ECDH.convertKey(compressed, 'prime256v1', undefined, undefined, 'uncompressed');
    const raw = Buffer.from(point as Buffer);
    keyObject = createPublicKey({
      format: 'jwk',
      key: { kty: 'EC', crv: 'P-256', x: b64url(raw.subarray(1, 33)), y: b64url(raw.subarray(33)) },
    });
  } catch {
    throw new ProtocolError('bad_key', field, 'not a point on P-256');
  }
  if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.clear();
  keyCache.set(cacheKey, keyObject);
  return keyObject;
}

function toLowS(signature: Buffer): Buffer {
  const s = BigInt(`0x${signature.subarray(32).toString('hex')}`);
  if (s <= HALF_N) return signature;
  const lowS = Buffer.from((N - s).toString(16).padStart(64, '0'), 'hex');
  return Buffer.concat([signature.subarray(0, 32), lowS]);
}

/** Signs `message` (hashed with SHA-256 inside), returning low-S r||s. */
export function signP1363(key: SigningKey, message: Uint8Array): Uint8Array {
  return toLowS(sign('sha256', message, { key: key.privateKey, dsaEncoding: 'ieee-p1363' }));
}

/** True when `signature` (r||s) is a valid signature of `message`; never throws on bad input. */
export function verifyP1363(
  publicKey: KeyObject,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  if (signature.length !== SIGNATURE_SIZE) return false;
  try {
    return verify('sha256', message, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature);
  } catch {
    return false;
  }
}

/** First 8 bytes of SHA-256 of the compressed key: how objects name their signer. */
export function keyIdOf(publicKey: Uint8Array): Uint8Array {
  return createHash('sha256').update(publicKey).digest().subarray(0, KEY_ID_SIZE);
}

export function sha256(...parts: Uint8Array[]): Uint8Array {
  // The one-shot form skips the Hash object: several times faster for the small bodies a
  // settlement hashes per record.
  if (parts.length === 1) return hash('sha256', parts[0] as Uint8Array, 'buffer');
  const hasher = createHash('sha256');
  for (const part of parts) hasher.update(part);
  return hasher.digest();
}
