import { createDecipheriv, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isProtocolError, type ProtocolErrorCode } from '../../protocol/errors';
import { deriveKey, unseal, seal, SEAL_OVERHEAD } from '../../protocol/crypto/seal';

const enc = (text: string): Uint8Array => new TextEncoder().encode(text);

function expectProtocolError(run: () => unknown, code: ProtocolErrorCode, field?: string): void {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(isProtocolError(thrown), `expected ProtocolError ${code}, got ${String(thrown)}`).toBe(
    true,
  );
  if (!isProtocolError(thrown)) return;
  expect(thrown.code).toBe(code);
  if (field !== undefined) expect(thrown.field).toBe(field);
}

describe('seal / unseal', () => {
  const key = randomBytes(32);
  const aad = enc('tapsafe/test/record');
  const plaintext = enc('a wallet private scalar, say');

  it('round-trips, including the empty plaintext', () => {
    for (const message of [plaintext, new Uint8Array(0), randomBytes(5000)]) {
      const sealed = seal(key, message, aad);
      expect(sealed.length).toBe(message.length + SEAL_OVERHEAD);
      expect(Buffer.from(unseal(key, sealed, aad))).toEqual(Buffer.from(message));
    }
  });

  it('uses a fresh nonce per seal', () => {
    const a = Buffer.from(seal(key, plaintext, aad));
    const b = Buffer.from(seal(key, plaintext, aad));
    expect(a.equals(b)).toBe(false);
    expect(a.subarray(1, 13).equals(b.subarray(1, 13))).toBe(false);
  });

  // Decrypts with node:crypto directly, following only the documented layout, so a
  // change of format cannot hide behind seal() and unseal() agreeing with each other.
  it('follows the documented layout: 01 || nonce(12) || ciphertext || tag(16), aad 01 || aad', () => {
    const sealed = Buffer.from(seal(key, plaintext, aad));
    expect(sealed[0]).toBe(0x01);
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(1, 13), {
      authTagLength: 16,
    });
    decipher.setAAD(Buffer.concat([Buffer.of(0x01), aad]));
    decipher.setAuthTag(sealed.subarray(sealed.length - 16));
    const body = decipher.update(sealed.subarray(13, sealed.length - 16));
    expect(Buffer.concat([body, decipher.final()])).toEqual(Buffer.from(plaintext));
  });

  it('rejects every single-bit flip with seal_failed', () => {
    const sealed = seal(key, plaintext, aad);
    for (let bit = 0; bit < sealed.length * 8; bit++) {
      const tampered = Uint8Array.from(sealed);
      tampered[bit >> 3] = (tampered[bit >> 3] as number) ^ (1 << (bit & 7));
      expectProtocolError(() => unseal(key, tampered, aad), 'seal_failed');
    }
  });

  it('rejects every truncation and an appended byte with seal_failed', () => {
    const sealed = seal(key, plaintext, aad);
    for (let length = 0; length < sealed.length; length++) {
      expectProtocolError(() => unseal(key, sealed.subarray(0, length), aad), 'seal_failed');
    }
    expectProtocolError(
      () => unseal(key, Buffer.concat([sealed, Buffer.of(0)]), aad),
      'seal_failed',
    );
  });

  it('rejects a wrong aad, a wrong key and an unknown version with seal_failed', () => {
    const sealed = seal(key, plaintext, aad);
    expectProtocolError(() => unseal(key, sealed, enc('tapsafe/test/other')), 'seal_failed');
    expectProtocolError(() => unseal(key, sealed, new Uint8Array(0)), 'seal_failed');
    expectProtocolError(() => unseal(randomBytes(32), sealed, aad), 'seal_failed');
    for (const version of [0x00, 0x02, 0xff]) {
      const other = Uint8Array.from(sealed);
      other[0] = version;
      expectProtocolError(() => unseal(key, other, aad), 'seal_failed');
    }
  });

  it('refuses keys that are not 32 bytes with bad_key', () => {
    for (const size of [0, 16, 24, 31, 33]) {
      expectProtocolError(() => seal(randomBytes(size), plaintext, aad), 'bad_key');
      expectProtocolError(
        () => unseal(randomBytes(size), seal(key, plaintext, aad), aad),
        'bad_key',
      );
    }
  });

  it('round-trips arbitrary plaintexts and contexts (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.uint8Array({ maxLength: 64 }),
        (message, context) => {
          const opened = unseal(key, seal(key, message, context), context);
          expect(Buffer.from(opened)).toEqual(Buffer.from(message));
        },
      ),
    );
  });

  it('unseal() on random bytes only ever throws ProtocolError seal_failed (fast-check)', () => {
    const sealedLike = fc.oneof(
      fc.uint8Array({ maxLength: 120 }),
      // Well-formed header, so the input reaches the GCM tag check and not just the prefix checks.
      fc
        .uint8Array({ minLength: SEAL_OVERHEAD - 1, maxLength: 120 })
        .map((rest) => Buffer.concat([Buffer.of(1), rest])),
    );
    fc.assert(
      fc.property(
        sealedLike,
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ maxLength: 32 }),
        (bytes, k, context) => {
          expectProtocolError(() => unseal(k, bytes, context), 'seal_failed');
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('deriveKey', () => {
  const ikm = randomBytes(32);

  it('defaults to 32 bytes, and separates by salt and info', () => {
    const base = Buffer.from(deriveKey(ikm, enc('salt'), enc('tapsafe/seal/v1')));
    expect(base.length).toBe(32);
    expect(Buffer.from(deriveKey(ikm, enc('salt'), enc('tapsafe/seal/v1'))).equals(base)).toBe(
      true,
    );
    expect(Buffer.from(deriveKey(ikm, enc('salt2'), enc('tapsafe/seal/v1'))).equals(base)).toBe(
      false,
    );
    expect(Buffer.from(deriveKey(ikm, enc('salt'), enc('tapsafe/seal/v2'))).equals(base)).toBe(
      false,
    );
    expect(deriveKey(ikm, enc('salt'), enc('x'), 64).length).toBe(64);
  });

  it('refuses lengths HKDF-SHA256 cannot give, and info beyond 1024 bytes, with bad_value', () => {
    for (const length of [0, -1, 1.5, Number.NaN, 255 * 32 + 1]) {
      expectProtocolError(() => deriveKey(ikm, enc('s'), enc('i'), length), 'bad_value', 'length');
    }
    expect(deriveKey(ikm, enc('s'), new Uint8Array(1024)).length).toBe(32);
    expectProtocolError(() => deriveKey(ikm, enc('s'), new Uint8Array(1025)), 'bad_value', 'info');
  });
});
