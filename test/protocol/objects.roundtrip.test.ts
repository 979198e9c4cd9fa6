/** Every object survives encode → decode and sign → decode → verify, byte for byte. */
import { verify as nodeVerify } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { importPublicKey, PaymentRecord, type Signed } from '../../protocol';
import { arbitraries } from './support/arbitraries';
import { ascii, concat, embedded, plain, tlv, toHex } from './support/bytes';
import { keys } from './support/keys';
import { samples, type ObjectCase } from './support/samples';

/** Checks everything a correct sign → decode → open cycle of `value` must give. */
function checkSignedRoundTrip({ type, value, signer }: Omit<ObjectCase, 'label'>): Signed<unknown> {
  const body = type.encodeBody(value);
  const signed = type.sign(value, signer);
  expect(toHex(signed.body)).toBe(toHex(body));
  // The envelope, built by hand: F0 { body, DF7F 40 signature }.
  expect(signed.signature).toHaveLength(64);
  expect(toHex(signed.encoded)).toBe(toHex(tlv('F0', concat(body, tlv('DF7F', signed.signature)))));

  const decoded = type.decode(signed.encoded);
  expect(plain(decoded.value)).toEqual(plain(value));
  expect(toHex(decoded.body)).toBe(toHex(body));
  expect(toHex(decoded.signature)).toBe(toHex(signed.signature));
  expect(toHex(decoded.encoded)).toBe(toHex(signed.encoded));
  // Canonical: the decoded value encodes to the very bytes it came from.
  expect(toHex(type.encodeBody(decoded.value))).toBe(toHex(body));

  type.verify(decoded, signer.publicKey);
  type.verify(decoded, importPublicKey(signer.publicKey));
  expect(plain(type.open(signed.encoded, signer.publicKey).value)).toEqual(plain(value));
  return decoded;
}

describe.each(samples.map((c) => [c.label, c] as const))('%s', (_, sample) => {
  const { type, value, signer } = sample;

  it('encodeBody → decodeBody gives the value back, and its bytes again', () => {
    const body = type.encodeBody(value);
    expect(body[0]).toBe(type.body.tag);
    const decoded = type.decodeBody(body);
    expect(plain(decoded)).toEqual(plain(value));
    expect(toHex(type.encodeBody(decoded))).toBe(toHex(body));
    expect(toHex(type.encodeBody(value))).toBe(toHex(body));
  });

  it('sign → decode → verify', () => {
    checkSignedRoundTrip(sample);
  });

  it('signs "tapsafe/1/<name>" 0x00 body, checked with node:crypto directly', () => {
    const signed = type.sign(value, signer);
    const message = concat(ascii(`tapsafe/1/${type.name}`), Uint8Array.of(0), signed.body);
    expect(toHex(type.signedMessage(signed.body))).toBe(toHex(message));
    const key = { key: importPublicKey(signer.publicKey), dsaEncoding: 'ieee-p1363' as const };
    expect(nodeVerify('sha256', message, key, signed.signature)).toBe(true);
    expect(nodeVerify('sha256', signed.body, key, signed.signature)).toBe(false);
  });

  it('decodes the same from a Buffer, a Uint8Array, or a view into a larger buffer', () => {
    const { encoded } = type.sign(value, signer);
    const copies = [Buffer.from(encoded), Uint8Array.from(encoded), embedded(encoded, 5, 9, 0xf0)];
    const results = copies.map((bytes) => type.decode(bytes));
    for (const result of results) {
      expect(plain(result)).toEqual(plain(results[0]));
      expect(toHex(result.encoded)).toBe(toHex(encoded));
    }
  });

  it('decoded objects do not share memory with the input', () => {
    const input = Uint8Array.from(type.sign(value, signer).encoded);
    const decoded = type.decode(input);
    const before = plain(decoded);
    input.fill(0);
    expect(plain(decoded)).toEqual(before);
    expect(plain(type.decodeBody(Uint8Array.from(decoded.body)))).toEqual(plain(value));
  });
});

describe('nested signed objects', () => {
  const hotlist = samples.find((c) => c.type.name === 'hotlist') as ObjectCase;
  const batch = samples.find((c) => c.type.name === 'settlement-batch') as ObjectCase;

  it('hotlist notices come back as signed notifications that still verify', () => {
    const decoded = hotlist.type.decode(hotlist.type.sign(hotlist.value, hotlist.signer).encoded);
    const { notices } = decoded.value as { notices: Signed<unknown>[] };
    const original = (hotlist.value as { notices: Signed<unknown>[] }).notices;
    expect(notices).toHaveLength(original.length);
    notices.forEach((notice, i) => {
      expect(toHex(notice.encoded)).toBe(toHex((original[i] as Signed<unknown>).encoded));
    });
  });

  it('batch records come back as signed records that still verify under the wallet key', () => {
    const decoded = batch.type.decode(batch.type.sign(batch.value, batch.signer).encoded);
    const { records } = decoded.value as { records: Signed<never>[] };
    expect(records).toHaveLength(3);
    for (const record of records) {
      PaymentRecord.verify(record, keys.wallet.publicKey);
      expect(toHex(PaymentRecord.open(record.encoded, keys.wallet.publicKey).body)).toBe(
        toHex(record.body),
      );
    }
  });
});

describe.each(arbitraries.map((c) => [c.type.name, c] as const))(
  'property: %s',
  (_, { type, arb, signer }) => {
    it('encodeBody → decodeBody round-trips and re-encodes identically', () => {
      fc.assert(
        fc.property(arb, (value) => {
          const body = type.encodeBody(value);
          const decoded = type.decodeBody(body);
          expect(plain(decoded)).toEqual(plain(value));
          expect(toHex(type.encodeBody(decoded))).toBe(toHex(body));
        }),
        { numRuns: 200 },
      );
    });

    it('sign → decode → verify round-trips', () => {
      fc.assert(
        fc.property(arb, (value) => {
          checkSignedRoundTrip({ type, value, signer });
        }),
        { numRuns: 50 },
      );
    });
  },
);
