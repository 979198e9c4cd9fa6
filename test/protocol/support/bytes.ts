/**
 * Byte helpers for hand-built encodings. The TLV builder here is written from the spec,
 * independently of protocol/codec, so a bug in the encoder cannot hide itself in a test.
 */
export const hex = (text: string): Uint8Array =>
  Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
export const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
export const concat = (...parts: Uint8Array[]): Uint8Array => Uint8Array.from(Buffer.concat(parts));
export const ascii = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'latin1'));

/** Minimal definite length: short form below 0x80, then 81 / 82 / 83. */
export function lengthBytes(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  const out: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) out.unshift(rest % 256);
  return Uint8Array.from([0x80 | out.length, ...out]);
}

/** One TLV; `tag` as hex ("DF10"), `length` overrides the length bytes (as hex). */
export function tlv(tag: string, value: Uint8Array | string, length?: string): Uint8Array {
  const v = typeof value === 'string' ? hex(value) : value;
  return concat(hex(tag), length === undefined ? lengthBytes(v.length) : hex(length), v);
}

/** A constructed TLV holding the concatenation of `children`. */
export const tlvOf = (tag: string, ...children: Uint8Array[]): Uint8Array =>
  tlv(tag, concat(...children));

/** Big-endian minimal unsigned integer, as the spec writes it (zero is one 00 byte). */
export function uintBytes(value: number): Uint8Array {
  const out: number[] = [];
  let rest = value;
  do {
    out.unshift(rest % 256);
    rest = Math.floor(rest / 256);
  } while (rest > 0);
  return Uint8Array.from(out);
}

/** Copies `bytes` into the middle of a larger buffer full of `fill`, returning the view. */
export function embedded(bytes: Uint8Array, before = 7, after = 13, fill = 0xa5): Uint8Array {
  const backing = new Uint8Array(before + bytes.length + after).fill(fill);
  backing.set(bytes, before);
  return backing.subarray(before, before + bytes.length);
}

/** Deep copy that turns every Buffer into a plain Uint8Array, for deep equality. */
export function plain(value: unknown): unknown {
  if (value instanceof Uint8Array) return Uint8Array.from(value);
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

export interface RawTlv {
  /** Tag bytes, header and value: the whole TLV. */
  readonly whole: Uint8Array;
  readonly tag: Uint8Array;
  readonly value: Uint8Array;
}

/**
 * Splits canonical, known-good bytes into their top-level TLVs (for building test inputs
 * from valid encodings; it trusts its input and is not a decoder under test).
 */
export function splitTlvs(bytes: Uint8Array): RawTlv[] {
  const out: RawTlv[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    const start = pos;
    const tagLength = ((bytes[pos] as number) & 0x1f) === 0x1f ? 2 : 1;
    pos += tagLength;
    let length = bytes[pos++] as number;
    if (length > 0x80) {
      const count = length & 0x7f;
      length = 0;
      for (let i = 0; i < count; i++) length = length * 256 + (bytes[pos++] as number);
    }
    out.push({
      whole: bytes.subarray(start, pos + length),
      tag: bytes.subarray(start, start + tagLength),
      value: bytes.subarray(pos, pos + length),
    });
    pos += length;
  }
  return out;
}
