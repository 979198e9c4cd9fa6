/** The value codecs inside primitive TLVs: one byte form per value, everything else refused. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../protocol';
import {
  enumeration,
  fixedBytes,
  identifier,
  uint,
  type ValueCodec,
} from '../../protocol/codec/values';
import { ID_CHARS, identifierArb } from './support/arbitraries';
import { ascii, embedded, hex, toHex, uintBytes } from './support/bytes';
import { attempt, expectProtocolError } from './support/errors';

const MAX = Number.MAX_SAFE_INTEGER;
const decodeAll = <T>(codec: ValueCodec<T>, bytes: Uint8Array): T =>
  codec.decode(bytes, 0, bytes.length, 'obj.field');

/** Random bytes decode to a value whose encoding is those very bytes, or to bad_value. */
function onlyCanonicalDecodes<T>(codec: ValueCodec<T>, maxLength: number, numRuns = 1_000): void {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength }), (bytes) => {
      const outcome = attempt(() => decodeAll(codec, bytes));
      if (outcome.ok) expect(toHex(codec.encode(outcome.value, 'f'))).toBe(toHex(bytes));
      else expect(outcome.error).toMatchObject({ code: 'bad_value', field: 'obj.field' });
    }),
    { numRuns },
  );
}

describe('uint', () => {
  const u = uint();
  it.each([
    [0, '00'],
    [1, '01'],
    [0xff, 'ff'],
    [0x100, '0100'],
    [1_250, '04e2'],
    [0xffff_ffff, 'ffffffff'],
    [2 ** 48, '01000000000000'],
    [MAX, '1fffffffffffff'],
  ])('%i ⇄ %s', (value, bytes) => {
    expect(toHex(u.encode(value, 'f'))).toBe(bytes);
    expect(decodeAll(u, hex(bytes))).toBe(value);
  });

  it.each([
    ['', 'empty'],
    ['00 00', 'zero with a leading zero'],
    ['00 05', 'leading zero'],
    ['00 ff ff ff ff ff ff', 'seven bytes with a leading zero'],
    ['01 00 00 00 00 00 00 00', 'eight bytes'],
    ['20 00 00 00 00 00 00', '2^53'],
    ['ff ff ff ff ff ff ff', '2^56 - 1'],
  ])('rejects %s (%s)', (bytes) => {
    expectProtocolError(() => decodeAll(u, hex(bytes)), 'bad_value', 'obj.field');
  });

  it('enforces the field maximum both ways', () => {
    const currency = uint(999);
    expect(decodeAll(currency, hex('03e7'))).toBe(999);
    expectProtocolError(() => decodeAll(currency, hex('03e8')), 'bad_value', 'obj.field');
    expectProtocolError(() => currency.encode(1000, 'x.currency'), 'bad_value', 'x.currency');
    expectProtocolError(() => decodeAll(uint(65_535), hex('010000')), 'bad_value', 'obj.field');
  });

  it.each([
    -1,
    1.5,
    -0.5,
    NaN,
    Infinity,
    -Infinity,
    2 ** 53,
    2 ** 64,
    '5',
    5n,
    null,
    undefined,
    {},
  ])('refuses to encode %s', (value) => {
    expectProtocolError(() => u.encode(value as number, 'x.amount'), 'bad_value', 'x.amount');
  });

  it('round-trips every safe integer in the fewest bytes', () => {
    fc.assert(
      fc.property(fc.oneof(fc.nat(), fc.maxSafeNat()), (n) => {
        const bytes = u.encode(n, 'f');
        expect(toHex(bytes)).toBe(toHex(uintBytes(n)));
        expect(bytes.length === 1 || bytes[0] !== 0).toBe(true);
        expect(decodeAll(u, bytes)).toBe(n);
      }),
      { numRuns: 1_000 },
    );
  });

  it('decodes only canonical integers', () => {
    onlyCanonicalDecodes(u, 9, 3_000);
    onlyCanonicalDecodes(uint(999), 3);
  });

  it('reads only its own range of a larger buffer', () => {
    const bytes = hex('ff 01 02 ff');
    expect(u.decode(bytes, 1, 3, 'f')).toBe(0x0102);
    expect(u.decode(embedded(hex('04e2'), 2, 2, 0x00), 0, 2, 'f')).toBe(1_250);
    expectProtocolError(() => u.decode(bytes, 2, 2, 'f'), 'bad_value', 'f');
  });
});

describe('fixedBytes', () => {
  const nonce = fixedBytes(16);

  it('keeps exactly `size` bytes, copied out of the input', () => {
    const source = embedded(hex('00112233445566778899aabbccddeeff'), 4, 4, 0xee);
    const value = decodeAll(nonce, source);
    expect(toHex(value)).toBe('00112233445566778899aabbccddeeff');
    source.fill(0);
    expect(toHex(value)).toBe('00112233445566778899aabbccddeeff');
    expect(toHex(nonce.encode(value, 'f'))).toBe(toHex(value));
  });

  it.each([0, 15, 17, 32])('rejects %i bytes when 16 are expected', (size) => {
    expectProtocolError(() => decodeAll(nonce, new Uint8Array(size)), 'bad_value', 'obj.field');
    expectProtocolError(
      () => nonce.encode(new Uint8Array(size), 'x.nonce'),
      'bad_value',
      'x.nonce',
    );
  });

  it.each([
    ['an array', new Array<number>(16).fill(0)],
    ['a string', 'aaaaaaaaaaaaaaaa'],
    ['an ArrayBuffer', new ArrayBuffer(16)],
    ['null', null],
  ])('refuses to encode %s', (_, value) => {
    expectProtocolError(
      () => nonce.encode(value as unknown as Uint8Array, 'x.nonce'),
      'bad_value',
      'x.nonce',
    );
  });
});

describe('identifier', () => {
  const id = identifier(32);

  it.each(['M-0001', 'T-0001-02', 'a', 'A.b_c-9', 'x'.repeat(32)])('round-trips %s', (text) => {
    expect(toHex(id.encode(text, 'f'))).toBe(toHex(ascii(text)));
    expect(decodeAll(id, ascii(text))).toBe(text);
  });

  it.each(['', 'M 0001', 'M-0001\n', 'Mé', 'M\u0000', 'M/1', 'x'.repeat(33), 'ｍ', '💳'])(
    'refuses %j both ways',
    (text) => {
      expectProtocolError(() => id.encode(text, 'x.merchantId'), 'bad_value', 'x.merchantId');
      const utf8 = Uint8Array.from(Buffer.from(text, 'utf8'));
      expectProtocolError(() => decodeAll(id, utf8), 'bad_value', 'obj.field');
    },
  );

  it.each(['e9', '4d e9', '4d 80', '4d ff', '4d c3 a9', '20', '4d 00'])(
    'rejects the bytes %s',
    (bytes) => {
      expectProtocolError(() => decodeAll(id, hex(bytes)), 'bad_value', 'obj.field');
    },
  );

  it.each([
    ['a number', 12_345],
    ['an array holding a valid id', ['M-0001']],
    ['null', null],
    ['undefined (a missing field)', undefined],
  ])('refuses to encode %s', (_, value) => {
    expectProtocolError(
      () => id.encode(value as unknown as string, 'x.merchantId'),
      'bad_value',
      'x.merchantId',
    );
  });

  it('round-trips every identifier of the charset', () => {
    fc.assert(
      fc.property(identifierArb(32), (text) => {
        expect(decodeAll(id, id.encode(text, 'f'))).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it('decodes only bytes of the charset, 1..max long', () => {
    const charsetBytes = fc
      .uint8Array({ maxLength: 34 })
      .map((b) =>
        b.map((x) => (x % 8 === 0 ? x : (ID_CHARS[x % ID_CHARS.length] as string).charCodeAt(0))),
      );
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 34 }), charsetBytes), (bytes) => {
        const outcome = attempt(() => decodeAll(id, bytes));
        const valid =
          bytes.length >= 1 &&
          bytes.length <= 32 &&
          [...bytes].every((b) => ID_CHARS.includes(String.fromCharCode(b) as never));
        expect(outcome.ok).toBe(valid);
        if (outcome.ok) expect(toHex(id.encode(outcome.value, 'f'))).toBe(toHex(bytes));
        else expect(outcome.error).toMatchObject({ code: 'bad_value', field: 'obj.field' });
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('enumeration', () => {
  const names = ['lock', 'disable', 'wipe'] as const;
  const e = enumeration(names);

  it('numbers names from 1', () => {
    names.forEach((name, i) => {
      expect(toHex(e.encode(name, 'f'))).toBe(toHex(Uint8Array.of(i + 1)));
      expect(decodeAll(e, Uint8Array.of(i + 1))).toBe(name);
    });
  });

  it.each(['', '00', '04', 'ff', '0001', '0100'])('rejects the bytes %j', (bytes) => {
    expectProtocolError(() => decodeAll(e, hex(bytes)), 'bad_value', 'obj.field');
  });

  it.each(['unlock', 'LOCK', '', 'length', 'toString', '__proto__', 1, null])(
    'refuses to encode %j',
    (value) => {
      expectProtocolError(() => e.encode(value as 'lock', 'x.type'), 'bad_value', 'x.type');
    },
  );

  it('decodes only canonical codes', () => onlyCanonicalDecodes(e, 2, 500));
});

it('every codec error is a ProtocolError (sanity: the helper can fail)', () => {
  const outcome = attempt(() => decodeAll(uint(), hex('0001')));
  expect(outcome.ok ? undefined : outcome.error).toBeInstanceOf(ProtocolError);
});
