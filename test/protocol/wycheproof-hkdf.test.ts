// Wycheproof HKDF-SHA256 through deriveKey, all output sizes (they are cheap), including
// the maximum 255*32 and the one-too-many size that must be refused.
import { describe, expect, it } from 'vitest';
import { isProtocolError } from '../../protocol/errors';
import { deriveKey } from '../../protocol/crypto/seal';
import { describeCase, hex, loadVectors, mustAccept, type Case } from './wycheproof';

interface HkdfCase extends Case {
  readonly ikm: string;
  readonly salt: string;
  readonly info: string;
  readonly size: number;
  readonly okm: string;
}

describe('Wycheproof hkdf_sha256', () => {
  it('deriveKey agrees with every case; invalid sizes throw ProtocolError bad_value (length)', () => {
    const file = loadVectors<{ readonly tests: readonly HkdfCase[] }>('hkdf_sha256_test.json');
    const failures: string[] = [];
    const tally = { valid: 0, invalid: 0, size32: 0 };
    for (const c of file.testGroups.flatMap((group) => group.tests)) {
      const derive = () => deriveKey(hex(c.ikm), hex(c.salt), hex(c.info), c.size);
      if (mustAccept(c)) {
        tally.valid++;
        if (c.size === 32) tally.size32++;
        if (Buffer.from(derive()).toString('hex') !== c.okm) failures.push(describeCase(c));
        continue;
      }
      tally.invalid++;
      try {
        derive();
        failures.push(`no error: ${describeCase(c)}`);
      } catch (error) {
        if (!isProtocolError(error) || error.code !== 'bad_value' || error.field !== 'length') {
          failures.push(`wrong error ${String(error)}: ${describeCase(c)}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(tally.valid + tally.invalid).toBe(file.numberOfTests);
    // Wycheproof 0.9 has 83 valid cases (12 with our 32-byte size) and 3 invalid sizes.
    expect(tally.valid).toBeGreaterThanOrEqual(80);
    expect(tally.size32).toBeGreaterThanOrEqual(10);
    expect(tally.invalid).toBeGreaterThanOrEqual(3);
  });
});
