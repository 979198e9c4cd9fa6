import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  encodeCommandApdu,
  parseCommandApdu,
  ProtocolError,
  type CommandInput,
} from '../../protocol';

const hex = (s: string): Uint8Array => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase();
const filled = (n: number, seed = 0): Uint8Array =>
  Uint8Array.from({ length: n }, (_, i) => (i * 7 + seed) & 0xff);

function expectBadApdu(bytes: Uint8Array): void {
  let thrown: unknown;
  try {
    parseCommandApdu(bytes);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(ProtocolError);
  expect((thrown as ProtocolError).code).toBe('bad_apdu');
  expect((thrown as ProtocolError).field).toBe('apdu');
}

describe('parseCommandApdu: the ISO 7816-4 cases', () => {
  it('case 1: header only', () => {
    expect(parseCommandApdu(hex('80CA0001'))).toEqual({
      cla: 0x80,
      ins: 0xca,
      p1: 0x00,
      p2: 0x01,
      data: new Uint8Array(0),
      le: undefined,
      extended: false,
    });
  });

  it('case 2S: Le 01..FF as is, 00 = 256', () => {
    expect(parseCommandApdu(hex('80CA000101')).le).toBe(1);
    expect(parseCommandApdu(hex('80CA0001FF')).le).toBe(255);
    const c = parseCommandApdu(hex('80CA000100'));
    expect(c.le).toBe(256);
    expect(c.extended).toBe(false);
    expect(c.data.length).toBe(0);
  });

  it('case 3S: Lc 1 and Lc 255', () => {
    const one = parseCommandApdu(hex('80D0000001AB'));
    expect(toHex(one.data)).toBe('AB');
    expect(one.le).toBeUndefined();
    const data = filled(255);
    const max = parseCommandApdu(Buffer.concat([hex('80D00000FF'), data]));
    expect(max.data).toEqual(data);
    expect(max.extended).toBe(false);
  });

  it('case 4S: Lc + data + Le, with Le 00 = 256', () => {
    const c = parseCommandApdu(hex('00A4040002112210'));
    expect(toHex(c.data)).toBe('1122');
    expect(c.le).toBe(16);
    expect(parseCommandApdu(hex('00A40400021122 00')).le).toBe(256);
    const data = filled(255, 3);
    const max = parseCommandApdu(Buffer.concat([hex('80500000FF'), data, hex('00')]));
    expect(max.data).toEqual(data);
    expect(max.le).toBe(256);
  });

  it('case 2E: 00 Le1 Le2, with 0000 = 65536', () => {
    expect(parseCommandApdu(hex('80CA0001 000101'))).toMatchObject({ le: 257, extended: true });
    expect(parseCommandApdu(hex('80CA0001 000000')).le).toBe(65536);
    expect(parseCommandApdu(hex('80CA0001 000001')).le).toBe(1);
  });

  it('case 3E: Lc 256 needs the extended form', () => {
    const data = filled(256, 5);
    const c = parseCommandApdu(Buffer.concat([hex('80D00000 000100'), data]));
    expect(c.data).toEqual(data);
    expect(c.le).toBeUndefined();
    expect(c.extended).toBe(true);
  });

  it('case 4E: Lc1 Lc2 data Le1 Le2, with Le 0000 = 65536', () => {
    const data = filled(256, 9);
    const c = parseCommandApdu(Buffer.concat([hex('80500000 000100'), data, hex('0000')]));
    expect(c.data).toEqual(data);
    expect(c.le).toBe(65536);
    expect(c.extended).toBe(true);
    const small = parseCommandApdu(hex('80500000 000002 AABB 0100'));
    expect(small).toMatchObject({ le: 256, extended: true });
    expect(toHex(small.data)).toBe('AABB');
  });

  it('copies the data instead of aliasing the input buffer', () => {
    const input = hex('80D0000002AABB');
    const c = parseCommandApdu(input);
    input[5] = 0;
    expect(toHex(c.data)).toBe('AABB');
  });

  it('refuses malformed shapes with bad_apdu', () => {
    for (const bad of [
      '',
      '80',
      '80CA',
      '80CA00', // shorter than the header
      '80D0000000AB', // short Lc 0 followed by a byte
      '80D00000 02 AA', // Lc 2, one data byte
      '80D00000 02 AABBCCDD', // Lc 2, two data bytes and two extra
      '80D00000 000000 AA', // extended Lc 0000
      '80D00000 000000 AAAA', // extended Lc 0000 would read as case 4E with no data
      '80D00000 000003 AABB', // extended Lc 3, two data bytes
      '80D00000 000002 AABB CC', // extended Lc + data + one Le byte
      '80D00000 000002 AABB CCDDEE', // three trailing bytes
      '80CA0001 0000', // 6 bytes: neither 2S nor 2E
    ]) {
      expectBadApdu(hex(bad));
    }
  });

  it('never reads past a short buffer: every truncation of a valid APDU parses or throws bad_apdu', () => {
    const full = Buffer.concat([hex('80500000 000104'), filled(260), hex('0000')]);
    for (let n = 0; n < full.length; n++) {
      try {
        const c = parseCommandApdu(full.subarray(0, n));
        // Whatever parses must account for exactly the bytes given.
        expect(encodeCommandApdu(c).length).toBe(n);
      } catch (error) {
        expect(error).toBeInstanceOf(ProtocolError);
      }
    }
  });
});

describe('encodeCommandApdu', () => {
  const base = { cla: 0x80, ins: 0x50, p1: 0, p2: 0 };

  it('uses the short form up to Lc 255 / Le 256 and extended beyond', () => {
    expect(toHex(encodeCommandApdu({ ...base }))).toBe('80500000');
    expect(toHex(encodeCommandApdu({ ...base, le: 256 }))).toBe('8050000000');
    expect(toHex(encodeCommandApdu({ ...base, le: 257 }))).toBe('80500000000101');
    expect(toHex(encodeCommandApdu({ ...base, le: 65536 }))).toBe('80500000000000');
    expect(encodeCommandApdu({ ...base, data: filled(255), le: 256 }).length).toBe(4 + 1 + 255 + 1);
    const ext = encodeCommandApdu({ ...base, data: filled(256), le: 256 });
    expect(ext.length).toBe(4 + 3 + 256 + 2);
    expect(toHex(ext.subarray(4, 7))).toBe('000100');
    expect(toHex(ext.subarray(-2))).toBe('0100');
    // Short data but a long Le forces both into the extended form.
    expect(toHex(encodeCommandApdu({ ...base, data: hex('AA'), le: 300 }))).toBe(
      '80500000000001AA012C',
    );
  });

  it('refuses what no APDU can carry', () => {
    const bad: CommandInput[] = [
      { ...base, cla: 256 },
      { ...base, ins: -1 },
      { ...base, p1: 1.5 },
      { ...base, le: 0 },
      { ...base, le: 65537 },
      { ...base, data: new Uint8Array(65536) },
    ];
    for (const input of bad) expect(() => encodeCommandApdu(input)).toThrow(ProtocolError);
  });

  it('round-trips every command through parse (property)', () => {
    const byte = fc.integer({ min: 0, max: 255 });
    const command = fc.record({
      cla: byte,
      ins: byte,
      p1: byte,
      p2: byte,
      data: fc.oneof(
        fc.uint8Array({ maxLength: 300 }),
        fc.integer({ min: 250, max: 260 }).map((n) => filled(n)),
      ),
      le: fc.option(
        fc.oneof(
          fc.integer({ min: 1, max: 65536 }),
          fc.constantFrom(1, 255, 256, 257, 65535, 65536),
        ),
        {
          nil: undefined,
        },
      ),
    });
    fc.assert(
      fc.property(command, (input) => {
        const bytes = encodeCommandApdu(input);
        const parsed = parseCommandApdu(bytes);
        expect(parsed).toMatchObject({
          cla: input.cla,
          ins: input.ins,
          p1: input.p1,
          p2: input.p2,
          le: input.le,
        });
        expect(Buffer.from(parsed.data).equals(input.data)).toBe(true);
        const shortFits = input.data.length <= 255 && (input.le === undefined || input.le <= 256);
        expect(parsed.extended).toBe(!shortFits);
        expect(Buffer.from(encodeCommandApdu(parsed)).equals(bytes)).toBe(true);
      }),
    );
  });
});
