/**
 * Canonical BER-TLV as EMV uses it, restricted so that every value has exactly one
 * encoding: tags of one or two bytes, definite lengths in the fewest bytes (short form
 * below 0x80, then 0x81 / 0x82 / 0x83), nothing indefinite, nothing longer than 16 MiB.
 */
import { ProtocolError } from '../errors';

/** The largest value a TLV may carry: 0x83 xx xx xx. Batches are the biggest objects. */
export const MAX_TLV_LENGTH = 0xff_ffff;

export interface TlvHeader {
  tag: number;
  /** Offset of the first value byte in the buffer that was read. */
  valueStart: number;
  /** Offset just past the value: where the next TLV starts. */
  end: number;
}

export function isConstructedTag(tag: number): boolean {
  const first = tag > 0xff ? tag >> 8 : tag;
  return (first & 0x20) !== 0;
}

export function tagHex(tag: number): string {
  return tag
    .toString(16)
    .toUpperCase()
    .padStart(tag > 0xff ? 4 : 2, '0');
}

export function encodeTlv(tag: number, value: Uint8Array, field: string): Buffer {
  // One allocation, header written in place: a settlement result encodes thousands of these.
  const length = value.length;
  if (length > MAX_TLV_LENGTH)
    throw new ProtocolError('length_too_large', field, `value of ${length} bytes is too long`);
  const out = Buffer.allocUnsafe(headerSize(tag, length) + length);
  let pos = 0;
  if (tag > 0xff) out[pos++] = tag >> 8;
  out[pos++] = tag & 0xff;
  if (length >= 0x80) {
    const count = length <= 0xff ? 1 : length <= 0xffff ? 2 : 3;
    out[pos++] = 0x80 | count;
    for (let shift = 8 * (count - 1); shift >= 0; shift -= 8) out[pos++] = (length >> shift) & 0xff;
  } else out[pos++] = length;
  out.set(value, pos);
  return out;
}

/** Reads one TLV header at `offset`, checking that its value lies inside `limit`. */
export function readTlvHeader(
  bytes: Uint8Array,
  offset: number,
  limit: number,
  field: string,
): TlvHeader {
  // Written without helpers or closures: this runs for every field of every record a
  // settlement verifies, next to a signature check it must not slow down.
  let pos = offset;
  if (pos >= limit) throw truncated(field, 'tag');
  let tag = bytes[pos++] as number;
  if ((tag & 0x1f) === 0x1f) {
    if (pos >= limit) throw truncated(field, 'tag');
    const second = bytes[pos++] as number;
    if (second & 0x80)
      throw new ProtocolError('bad_tag', field, 'tags longer than 2 bytes are not used');
    tag = (tag << 8) | second;
  }

  if (pos >= limit) throw truncated(field, 'length');
  let length = bytes[pos++] as number;
  if (length === 0x80) throw new ProtocolError('non_minimal_length', field, 'indefinite length');
  if (length > 0x80) {
    const count = length & 0x7f;
    if (count > 3) throw new ProtocolError('length_too_large', field, `${count}-byte length`);
    if (pos + count > limit) throw truncated(field, 'length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (bytes[pos++] as number);
    const minimal = count === 1 ? 0x80 : count === 2 ? 0x100 : 0x1_0000;
    if (length < minimal) {
      throw new ProtocolError(
        'non_minimal_length',
        field,
        `length ${length} in ${count + 1} bytes`,
      );
    }
  }

  const end = pos + length;
  if (end > limit) {
    throw new ProtocolError(
      'truncated',
      field,
      `value needs ${length} bytes, ${limit - pos} remain`,
    );
  }
  return { tag, valueStart: pos, end };
}

/** Bytes a tag plus a canonical length of `length` take: how far a value starts after its TLV. */
export function headerSize(tag: number, length: number): number {
  const tagSize = tag > 0xff ? 2 : 1;
  return tagSize + (length < 0x80 ? 1 : length <= 0xff ? 2 : length <= 0xffff ? 3 : 4);
}

function truncated(field: string, what: string): ProtocolError {
  return new ProtocolError('truncated', field, `bytes end inside the ${what}`);
}
