// Wycheproof AES-GCM through the primitives seal.ts is built on. We use only 256-bit keys,
// 96-bit nonces and 128-bit tags; every other group must be refused by our API, not
// silently run through a code path we never use.
import { describe, expect, it } from 'vitest';
import { isProtocolError } from '../../protocol/errors';
import { aesGcmDecrypt, aesGcmEncrypt } from '../../protocol/crypto/seal';
import { describeCase, hex, loadVectors, mustAccept, type Case } from './wycheproof';

interface AeadCase extends Case {
  readonly key: string;
  readonly iv: string;
  readonly aad: string;
  readonly msg: string;
  readonly ct: string;
  readonly tag: string;
}
interface AeadGroup {
  readonly keySize: number;
  readonly ivSize: number;
  readonly tagSize: number;
  readonly tests: readonly AeadCase[];
}

/** The ProtocolError code `run` throws, or 'none' / 'foreign' (a non-ProtocolError). */
function thrownCode(run: () => unknown): string {
  try {
    run();
    return 'none';
  } catch (error) {
    return isProtocolError(error) ? error.code : 'foreign';
  }
}

describe('Wycheproof aes_gcm', () => {
  const file = loadVectors<AeadGroup>('aes_gcm_test.json');

  it('agrees with every 256-bit key / 96-bit IV / 128-bit tag case', () => {
    const failures: string[] = [];
    const tally = { valid: 0, invalid: 0 };
    for (const group of file.testGroups) {
      if (group.keySize !== 256 || group.ivSize !== 96 || group.tagSize !== 128) continue;
      for (const c of group.tests) {
        const [key, iv, aad, msg] = [hex(c.key), hex(c.iv), hex(c.aad), hex(c.msg)];
        const sealed = Buffer.concat([hex(c.ct), hex(c.tag)]);
        const expected = mustAccept(c);
        tally[expected ? 'valid' : 'invalid']++;
        // Encryption is deterministic given the IV: it must reproduce a valid ct||tag and
        // must not reproduce an invalid one (those carry a modified tag or ciphertext).
        const encrypted = Buffer.from(aesGcmEncrypt(key, iv, msg, aad));
        if (encrypted.equals(sealed) !== expected) failures.push(`encrypt: ${describeCase(c)}`);
        if (expected) {
          const opened = Buffer.from(aesGcmDecrypt(key, iv, sealed, aad));
          if (!opened.equals(msg)) failures.push(`decrypt: ${describeCase(c)}`);
        } else {
          const code = thrownCode(() => aesGcmDecrypt(key, iv, sealed, aad));
          if (code !== 'seal_failed') failures.push(`decrypt gave ${code}: ${describeCase(c)}`);
        }
      }
    }
    expect(failures).toEqual([]);
    // Wycheproof 0.9rc5 has 39 valid and 27 invalid cases of these sizes.
    expect(tally.valid).toBeGreaterThanOrEqual(35);
    expect(tally.invalid).toBeGreaterThanOrEqual(25);
  });

  it('refuses every other key or IV size with ProtocolError', () => {
    const failures: string[] = [];
    let checked = 0;
    for (const group of file.testGroups) {
      if (group.keySize === 256 && group.ivSize === 96) continue;
      const want = group.keySize !== 256 ? 'bad_key' : 'bad_value';
      for (const c of group.tests) {
        checked++;
        const [key, iv, aad] = [hex(c.key), hex(c.iv), hex(c.aad)];
        const sealed = Buffer.concat([hex(c.ct), hex(c.tag)]);
        const codes = [
          thrownCode(() => aesGcmEncrypt(key, iv, hex(c.msg), aad)),
          thrownCode(() => aesGcmDecrypt(key, iv, sealed, aad)),
        ];
        if (codes.some((code) => code !== want))
          failures.push(`${codes.join('/')}: ${describeCase(c)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(200); // 250 in Wycheproof 0.9rc5
  });
});
