/** The canonical BER-TLV layer: lengths, tags and the header reader, by hand and by property. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_TLV_LENGTH, ProtocolError } from '../../protocol';
import { encodeTlv, headerSize, isConstructedTag, readTlvHeader } from '../../protocol/codec/tlv';
import { concat, embedded, hex, lengthBytes, toHex } from './support/bytes';
import { attempt, expectProtocolError, summary } from './support/errors';

/** A tag's bytes, written independently of the encoder under test. */
const tagOf = (tag: number): Uint8Array =>
  tag > 0xff ? Uint8Array.of(tag >> 8, tag & 0xff) : Uint8Array.of(tag);
const read = (bytes: Uint8Array) => readTlvHeader(bytes, 0, bytes.length, 'x.y');
/** A TLV with the given header (hex) followed by `size` value bytes. */
const withValue = (header: string, size: number) =>
  concat(hex(header), new Uint8Array(size).fill(7));

describe('encodeTlv lengths', () => {
  it.each([
    [0, '00'],
    [0x7f, '7f'],
    [0x80, '8180'],
    [0xff, '81ff'],
    [0x100, '820100'],
    [0xffff, '82ffff'],
    [0x1_0000, '83010000'],
    [MAX_TLV_LENGTH, '83ffffff'],
  ])('writes %i as %s, in the fewest bytes', (length, expected) => {
    const value = new Uint8Array(length).fill(0xa5);
    const encoded = encodeTlv(0xdf10, value, 'f');
    expect(toHex(encoded.subarray(2, 2 + expected.length / 2))).toBe(expected);
    expect(encoded.length).toBe(2 + expected.length / 2 + length);
    expect(encoded.length).toBe(headerSize(0xdf10, length) + length);
    expect(Buffer.from(encoded.subarray(encoded.length - length)).equals(value)).toBe(true);
  });

  it('refuses lengths beyond 0x83 ffffff', () => {
    expectProtocolError(
      () => encodeTlv(0xdf10, new Uint8Array(MAX_TLV_LENGTH + 1), 'big.field'),
      'length_too_large',
      'big.field',
    );
  });
});

describe('tags', () => {
  it('writes one- and two-byte tags', () => {
    const one = Uint8Array.of(1);
    expect(toHex(encodeTlv(0xe4, one, 'f'))).toBe('e40101');
    expect(toHex(encodeTlv(0xdf10, one, 'f'))).toBe('df100101');
    expect(toHex(encodeTlv(0xff04, one, 'f'))).toBe('ff040101');
  });

  it('tells constructed tags from primitive ones by the first byte', () => {
    expect([0xe1, 0xf0, 0xff01, 0x30].map(isConstructedTag)).toEqual([true, true, true, true]);
    expect([0xdf10, 0xdf7f, 0xc1, 0x04].map(isConstructedTag)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});

describe('readTlvHeader accepts canonical headers', () => {
  it.each([
    ['df10 00', 0xdf10, 0],
    ['e4 7f', 0xe4, 0x7f],
    ['e4 81 80', 0xe4, 0x80],
    ['ff04 81 ff', 0xff04, 0xff],
    ['e7 82 0100', 0xe7, 0x100],
    ['e7 82 ffff', 0xe7, 0xffff],
    ['e7 83 010000', 0xe7, 0x1_0000],
  ])('%s', (header, tag, length) => {
    const bytes = withValue(header, length);
    const headerSize = hex(header).length;
    expect(read(bytes)).toEqual({ tag, valueStart: headerSize, end: headerSize + length });
  });
});

describe('readTlvHeader rejects everything else, naming the field', () => {
  it.each([
    ['e4 81 05', 5, 'non_minimal_length'],
    ['e4 81 7f', 0x7f, 'non_minimal_length'],
    ['e4 82 0005', 5, 'non_minimal_length'],
    ['e4 82 00ff', 0xff, 'non_minimal_length'],
    ['e4 83 000005', 5, 'non_minimal_length'],
    ['e4 83 00ffff', 0xffff, 'non_minimal_length'],
    ['e4 81 00', 0, 'non_minimal_length'],
    ['e4 80', 4, 'non_minimal_length'],
    ['e4 84 00000005', 5, 'length_too_large'],
    ['e4 84 01000000', 0, 'length_too_large'],
    ['e4 ff', 0, 'length_too_large'],
    ['df 83 01 01', 1, 'bad_tag'],
    ['ff ff 01 01', 1, 'bad_tag'],
  ] as const)('%s (+%i value bytes) → %s', (header, size, code) => {
    expectProtocolError(() => read(withValue(header, size)), code, 'x.y');
  });

  it.each([
    ['', 'nothing at all'],
    ['df', 'half a two-byte tag'],
    ['df10', 'a tag without length'],
    ['e4 81', 'a long-form length without its byte'],
    ['e4 82 01', 'a two-byte length cut short'],
    ['e4 83 0100', 'a three-byte length cut short'],
    ['e4 05 01020304', 'a value one byte short'],
    ['e4 81 80', 'a long value with no bytes at all'],
  ])('truncated: %s (%s)', (bytes) => {
    expectProtocolError(() => read(hex(bytes)), 'truncated', 'x.y');
  });

  it('never lets a value run past the limit, even with bytes beyond it', () => {
    const bytes = hex('df10 04 01020304 df10 00');
    expect(readTlvHeader(bytes, 0, 7, 'f')).toEqual({ tag: 0xdf10, valueStart: 3, end: 7 });
    expectProtocolError(() => readTlvHeader(bytes, 0, 6, 'f'), 'truncated', 'f');
    for (const limit of [7, 8, 9]) {
      expectProtocolError(() => readTlvHeader(bytes, 7, limit, 'f'), 'truncated', 'f');
    }
    expect(readTlvHeader(bytes, 7, 10, 'f')).toEqual({ tag: 0xdf10, valueStart: 10, end: 10 });
  });
});

const tagArb = fc.oneof(
  fc.integer({ min: 0, max: 0xff }).filter((t) => (t & 0x1f) !== 0x1f),
  fc
    .tuple(fc.integer({ min: 0, max: 0xff }), fc.integer({ min: 0, max: 0x7f }))
    .map(([first, second]) => ((first | 0x1f) << 8) | second),
);

describe('TLV properties', () => {
  it('encodeTlv then readTlvHeader gives back the tag and the value span', () => {
    fc.assert(
      fc.property(tagArb, fc.integer({ min: 0, max: 70_000 }), (tag, size) => {
        const value = new Uint8Array(size).fill(0x5a);
        const encoded = encodeTlv(tag, value, 'f');
        const header = read(encoded);
        expect(header.tag).toBe(tag);
        expect(header.end).toBe(encoded.length);
        expect(header.end - header.valueStart).toBe(size);
        expect(toHex(encoded.subarray(0, header.valueStart))).toBe(
          toHex(concat(tagOf(tag), lengthBytes(size))),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('random bytes: a canonical header inside the limit, or a ProtocolError for the field', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 12 }), fc.nat(), fc.nat(), (bytes, a, b) => {
        const offset = a % (bytes.length + 1);
        const limit = offset + (b % (bytes.length - offset + 1));
        const outcome = attempt(() => readTlvHeader(bytes, offset, limit, 'r.f'));
        if (!outcome.ok) {
          expect(outcome.error).toBeInstanceOf(ProtocolError);
          expect((outcome.error as ProtocolError).field).toBe('r.f');
          return;
        }
        const { tag, valueStart, end } = outcome.value;
        expect(offset < valueStart && valueStart <= end && end <= limit).toBe(true);
        // Whatever is accepted is exactly what the encoder would write for it.
        expect(toHex(bytes.subarray(offset, valueStart))).toBe(
          toHex(concat(tagOf(tag), lengthBytes(end - valueStart))),
        );
      }),
      { numRuns: 2_000 },
    );
  });

  it('reads the same from a view into a larger buffer as from a copy', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 12 }),
        fc.integer({ min: 0, max: 255 }),
        (bytes, fill) => {
          const alone = summary(
            attempt(() => read(Uint8Array.from(bytes))),
            (h) => h,
          );
          const inside = summary(
            attempt(() => read(embedded(bytes, 3, 300, fill))),
            (h) => h,
          );
          expect(inside).toEqual(alone);
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it('headerSize agrees with the encoder at every length boundary and in between', () => {
    const boundaries = [0, 0x7f, 0x80, 0xff, 0x100, 0xffff, 0x1_0000, MAX_TLV_LENGTH];
    const lengths = fc.oneof(
      fc.constantFrom(...boundaries),
      fc.integer({ min: 0, max: MAX_TLV_LENGTH }),
    );
    fc.assert(
      fc.property(tagArb, lengths, (tag, length) => {
        const expected = tagOf(tag).length + lengthBytes(length).length;
        expect(headerSize(tag, length)).toBe(expected);
      }),
      { numRuns: 1_000 },
    );
  });

  it('every header of a canonical TLV cut short is truncated', () => {
    fc.assert(
      fc.property(tagArb, fc.integer({ min: 0, max: 300 }), fc.nat(), (tag, size, cut) => {
        const encoded = encodeTlv(tag, new Uint8Array(size), 'f');
        const prefix = encoded.subarray(0, cut % encoded.length);
        expectProtocolError(() => read(prefix), 'truncated', 'x.y');
      }),
      { numRuns: 300 },
    );
  });
});
