import { createHash } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isProtocolError } from '../../protocol/errors';
import {
  exportScalar,
  generateSigningKey,
  importPublicKey,
  keyIdOf,
  sha256,
  signingKeyFromScalar,
  signP1363,
  verifyP1363,
} from '../../protocol/crypto/ecdsa';

// Curve constants from SEC 2 / FIPS 186-4, used to build test inputs independently of the
// code under test.
const P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const B = 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn;

const toBigInt = (bytes: Uint8Array): bigint =>
  BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`);
const to32 = (n: bigint): Buffer => Buffer.from(n.toString(16).padStart(64, '0'), 'hex');

function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n;
  for (let b = base % mod, e = exp; e > 0n; e >>= 1n, b = (b * b) % mod) {
    if (e & 1n) result = (result * b) % mod;
  }
  return result;
}

/** Smallest x >= from with no curve point (x^3 - 3x + b is a non-residue mod p). */
function offCurveX(from: bigint): bigint {
  for (let x = from; ; x++) {
    const rhs = (((x * x * x - 3n * x + B) % P) + P) % P;
    if (modPow(rhs, (P - 1n) / 2n, P) === P - 1n) return x;
  }
}

function expectBadKey(run: () => unknown): void {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(isProtocolError(thrown) && thrown.code === 'bad_key', String(thrown)).toBe(true);
}

describe('signP1363 / verifyP1363', () => {
  it('emits 64-byte low-S signatures that noble verifies strictly (fast-check)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (message) => {
        const key = generateSigningKey();
        const signature = signP1363(key, message);
        expect(signature.length).toBe(64);
        expect(toBigInt(signature.subarray(32))).toBeLessThanOrEqual(N >> 1n);
        // prehash: noble hashes with SHA-256 itself; lowS: rejects s > n/2 (v2 default).
        expect(p256.verify(signature, message, key.publicKey, { prehash: true, lowS: true })).toBe(
          true,
        );
        expect(verifyP1363(importPublicKey(key.publicKey), message, signature)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  // Documented choice (ecdsa.ts, PROTOCOL.md): accept either S, as Wycheproof's P1363
  // vectors require; nothing is keyed on signature bytes, so malleability is harmless.
  it('accepts the high-S twin of a signature, which strict noble refuses', () => {
    const key = generateSigningKey();
    const message = new TextEncoder().encode('high-S');
    const signature = signP1363(key, message);
    const highS = Buffer.concat([
      signature.subarray(0, 32),
      to32(N - toBigInt(signature.subarray(32))),
    ]);
    expect(p256.verify(highS, message, key.publicKey, { lowS: true })).toBe(false);
    expect(p256.verify(highS, message, key.publicKey, { lowS: false })).toBe(true);
    expect(verifyP1363(importPublicKey(key.publicKey), message, highS)).toBe(true);
  });

  it('returns false, never throws, for other messages, keys, bit flips and sizes', () => {
    const key = generateSigningKey();
    const publicKey = importPublicKey(key.publicKey);
    const message = new TextEncoder().encode('pay 100');
    const signature = signP1363(key, message);
    expect(verifyP1363(publicKey, new TextEncoder().encode('pay 900'), signature)).toBe(false);
    expect(verifyP1363(importPublicKey(generateSigningKey().publicKey), message, signature)).toBe(
      false,
    );
    for (let bit = 0; bit < 512; bit += 7) {
      const flipped = Uint8Array.from(signature);
      flipped[bit >> 3] = (flipped[bit >> 3] as number) ^ (1 << (bit & 7));
      expect(verifyP1363(publicKey, message, flipped)).toBe(false);
    }
    for (const size of [0, 63, 65, 72]) {
      expect(verifyP1363(publicKey, message, Buffer.alloc(size, 1))).toBe(false);
    }
    expect(verifyP1363(publicKey, message, Buffer.concat([to32(0n), signature.subarray(32)]))).toBe(
      false,
    );
    expect(
      verifyP1363(publicKey, message, Buffer.concat([signature.subarray(0, 32), to32(N)])),
    ).toBe(false);
  });
});

describe('importPublicKey', () => {
  const valid = Buffer.from(generateSigningKey().publicKey);

  it('rejects prefixes other than 02/03 with bad_key', () => {
    for (const prefix of [0x00, 0x01, 0x04, 0x05, 0x06, 0x07, 0xff]) {
      expectBadKey(() => importPublicKey(Buffer.concat([Buffer.of(prefix), valid.subarray(1)])));
    }
  });

  it('rejects wrong lengths, including a valid uncompressed point, with bad_key', () => {
    const uncompressed = Buffer.from(p256.Point.fromBytes(valid).toBytes(false));
    for (const bytes of [
      valid.subarray(0, 32),
      Buffer.concat([valid, Buffer.of(0)]),
      Buffer.alloc(0),
      uncompressed,
    ]) {
      expectBadKey(() => importPublicKey(bytes));
    }
  });

  it('rejects x off the curve and x >= p with bad_key, naming the field', () => {
    const offCurve = [offCurveX(1n), offCurveX(P / 2n), P, P + 1n, 2n ** 256n - 1n];
    for (const x of offCurve) {
      for (const prefix of [0x02, 0x03]) {
        expectBadKey(() => importPublicKey(Buffer.concat([Buffer.of(prefix), to32(x)])));
      }
    }
    expect(() =>
      importPublicKey(Buffer.concat([Buffer.of(2), to32(P)]), 'cert.subjectKey'),
    ).toThrow(/^cert\.subjectKey: /);
  });

  // Key caches must follow the bytes, not the array object: a reused buffer (a decoder's
  // scratch space, a row re-read in place) must never verify under the key it held before.
  it('follows the current bytes when the same array is overwritten with another key', () => {
    const [a, b] = [generateSigningKey(), generateSigningKey()];
    const message = new TextEncoder().encode('signed by b');
    const bytes = Uint8Array.from(a.publicKey);
    importPublicKey(bytes);
    bytes.set(b.publicKey);
    expect(verifyP1363(importPublicKey(bytes), message, signP1363(b, message))).toBe(true);
    bytes[0] = 0x04;
    expectBadKey(() => importPublicKey(bytes));
  });

  it('agrees with noble on which x values are points (fast-check)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.boolean(), (x, odd) => {
        const bytes = Buffer.concat([Buffer.of(odd ? 3 : 2), x]);
        const onCurve = p256.utils.isValidPublicKey(bytes, true);
        if (onCurve) expect(importPublicKey(bytes).asymmetricKeyType).toBe('ec');
        else expectBadKey(() => importPublicKey(bytes));
      }),
    );
  });
});

describe('signing keys and ids', () => {
  it('signingKeyFromScalar round-trips with exportScalar and matches noble (fast-check)', () => {
    const scalar = fc.bigInt({ min: 1n, max: N - 1n }).map(to32);
    fc.assert(
      fc.property(scalar, (d) => {
        const key = signingKeyFromScalar(d);
        expect(Buffer.from(exportScalar(key))).toEqual(d);
        expect(Buffer.from(key.publicKey)).toEqual(Buffer.from(p256.getPublicKey(d, true)));
      }),
    );
    // Scalars with leading zero bytes must still export as 32 bytes.
    expect(exportScalar(signingKeyFromScalar(to32(1n))).length).toBe(32);
    const generated = generateSigningKey();
    expect(Buffer.from(signingKeyFromScalar(exportScalar(generated)).publicKey)).toEqual(
      Buffer.from(generated.publicKey),
    );
  });

  it('rejects scalars that are 0, >= n or not 32 bytes with bad_key', () => {
    for (const d of [
      to32(0n),
      to32(N),
      to32(N + 1n),
      to32(2n ** 256n - 1n),
      Buffer.alloc(31, 1),
      Buffer.alloc(33, 1),
    ]) {
      expectBadKey(() => signingKeyFromScalar(d));
    }
  });

  it('keyIdOf is the first 8 bytes of SHA-256 of the compressed key', () => {
    const publicKey = generateSigningKey().publicKey;
    const id = keyIdOf(publicKey);
    expect(id.length).toBe(8);
    expect(Buffer.from(id)).toEqual(createHash('sha256').update(publicKey).digest().subarray(0, 8));
    expect(Buffer.from(keyIdOf(generateSigningKey().publicKey)).equals(Buffer.from(id))).toBe(
      false,
    );
  });

  it('sha256 of several parts is the hash of their concatenation', () => {
    const parts = [Buffer.from('tapsafe'), Buffer.alloc(0), Buffer.from([1, 2, 3])];
    expect(Buffer.from(sha256(...parts))).toEqual(
      createHash('sha256').update(Buffer.concat(parts)).digest(),
    );
  });
});
