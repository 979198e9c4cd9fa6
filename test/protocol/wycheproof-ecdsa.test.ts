// Wycheproof ECDSA P-256/SHA-256 against our verifier, through the project's own key form
// (compressed SEC1 -> importPublicKey), so key conversion is under test as well.
import { verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { importPublicKey, verifyP1363 } from '../../protocol/crypto/ecdsa';
import {
  compressPoint,
  derToP1363,
  describeCase,
  hex,
  loadVectors,
  mustAccept,
  type Case,
} from './wycheproof';

interface EcdsaCase extends Case {
  readonly msg: string;
  readonly sig: string;
}
interface EcdsaGroup {
  readonly publicKey: { readonly curve: string; readonly uncompressed: string };
  readonly publicKeyDer: string;
  readonly sha: string;
  readonly tests: readonly EcdsaCase[];
}

/** Imports the group's key via its compressed form and checks it is the very same key. */
function groupKey(group: EcdsaGroup) {
  expect(group.publicKey.curve).toBe('secp256r1');
  expect(group.sha).toBe('SHA-256');
  const key = importPublicKey(compressPoint(hex(group.publicKey.uncompressed)));
  // Decompressing must give back Wycheproof's own SPKI: proves compressPoint picked the
  // right y parity, else every verdict below would be about a different key.
  expect(key.export({ format: 'der', type: 'spki' }).toString('hex')).toBe(group.publicKeyDer);
  return key;
}

describe('Wycheproof ecdsa_secp256r1_sha256_p1363', () => {
  it('verifyP1363 agrees with every case', () => {
    const file = loadVectors<EcdsaGroup>('ecdsa_secp256r1_sha256_p1363_test.json');
    const failures: string[] = [];
    let checked = 0;
    for (const group of file.testGroups) {
      const key = groupKey(group);
      for (const c of group.tests) {
        checked++;
        if (verifyP1363(key, hex(c.msg), hex(c.sig)) !== mustAccept(c))
          failures.push(describeCase(c));
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBe(file.numberOfTests);
    expect(checked).toBeGreaterThanOrEqual(250); // 262 in Wycheproof 0.9rc5
  });
});

/*
 * The DER file holds mostly the same keys and messages, with signatures in ASN.1. Our
 * verifier only takes r||s, so each case is checked two ways, both of which must match
 * Wycheproof's verdict:
 *  1. node:crypto with dsaEncoding 'der' under the key we imported: the OpenSSL path we
 *     rely on must reject every BER/garbled encoding, not just bad arithmetic.
 *  2. A strict DER -> r||s conversion (the one a handset needs for Android Keystore or
 *     Secure Enclave output, which is DER) followed by verifyP1363. When the bytes are not
 *     strict DER the case must be "invalid" (else the converter is too strict); when they
 *     are, verifyP1363's answer must equal the verdict. A converter that tolerated BER
 *     (long-form lengths, padded integers) would turn the "BerEncodedSignature" cases into
 *     accepted signatures and fail here, and a verifier that skipped 0 < r,s < n would
 *     fail on the range-check cases, which decode fine. So the assertion can fail from
 *     either side, and the floors below make sure path 2 really ran on many cases.
 */
describe('Wycheproof ecdsa_secp256r1_sha256 (DER)', () => {
  it('node DER verification and strict DER -> verifyP1363 both agree with every case', () => {
    const file = loadVectors<EcdsaGroup>('ecdsa_secp256r1_sha256_test.json');
    const failures: string[] = [];
    const tally = { checked: 0, viaP1363Valid: 0, viaP1363Invalid: 0, notStrictDer: 0 };
    for (const group of file.testGroups) {
      const key = groupKey(group);
      for (const c of group.tests) {
        tally.checked++;
        const expected = mustAccept(c);
        const msg = hex(c.msg);
        const der = hex(c.sig);
        let nodeVerdict: boolean;
        try {
          nodeVerdict = verify('sha256', msg, { key, dsaEncoding: 'der' }, der);
        } catch {
          nodeVerdict = false;
        }
        if (nodeVerdict !== expected) failures.push(`node der: ${describeCase(c)}`);
        const p1363 = derToP1363(der);
        if (p1363 === null) {
          tally.notStrictDer++;
          if (expected) failures.push(`strict DER rejected a valid case: ${describeCase(c)}`);
          continue;
        }
        tally[expected ? 'viaP1363Valid' : 'viaP1363Invalid']++;
        if (verifyP1363(key, msg, p1363) !== expected) failures.push(`p1363: ${describeCase(c)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(tally.checked).toBe(file.numberOfTests);
    // Wycheproof 0.9rc5: 484 cases; 174 valid, 75 invalid but strict DER, 235 not strict DER.
    expect(tally.checked).toBeGreaterThanOrEqual(450);
    expect(tally.viaP1363Valid).toBeGreaterThanOrEqual(170);
    expect(tally.viaP1363Invalid).toBeGreaterThanOrEqual(50);
    expect(tally.notStrictDer).toBeGreaterThanOrEqual(50);
  });
});
