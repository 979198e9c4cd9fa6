/**
 * Schema elements: a tagged TLV whose value is a primitive, a struct of fields in a fixed
 * order, or a list of items. Every object of the protocol is declared with these, and the
 * same declaration drives the encoder, the decoder and docs/protocol.md.
 */
import { ProtocolError } from '../errors';
import { encodeTlv, isConstructedTag, readTlvHeader, tagHex } from './tlv';
import type { ValueCodec } from './values';

export interface Element<T> {
  readonly tag: number;
  /** How docs/protocol.md describes this element's value. */
  readonly describe: string;
  /** The struct's fields or the list's item, for the docs. */
  readonly children?: Readonly<Record<string, Element<unknown>>>;
  write(value: T, field: string): Buffer;
  /** Decodes the value found between `start` and `end` of `bytes`. */
  read(bytes: Uint8Array, start: number, end: number, field: string): T;
}

export type ElementValue<E> = E extends Element<infer T> ? T : never;
type Fields = Record<string, Element<unknown>>;
export type StructValue<F extends Fields> = { [K in keyof F]: ElementValue<F[K]> };

function checkTagKind(tag: number, constructed: boolean): void {
  if (isConstructedTag(tag) !== constructed) {
    throw new Error(`tag ${tagHex(tag)} must be ${constructed ? 'constructed' : 'primitive'}`);
  }
}

export function primitive<T>(tag: number, codec: ValueCodec<T>): Element<T> {
  checkTagKind(tag, false);
  return {
    tag,
    describe: codec.describe,
    write: (value, field) => encodeTlv(tag, codec.encode(value, field), field),
    read: (bytes, start, end, field) => codec.decode(bytes, start, end, field),
  };
}

/** Reads the TLV at `pos`, insisting on `expected` as its tag. */
function readExpected(
  bytes: Uint8Array,
  pos: number,
  end: number,
  expected: number,
  field: string,
): { valueStart: number; end: number } {
  const header = readTlvHeader(bytes, pos, end, field);
  if (header.tag !== expected) {
    throw new ProtocolError(
      'bad_tag',
      field,
      `expected tag ${tagHex(expected)}, got ${tagHex(header.tag)}`,
    );
  }
  return header;
}

export function struct<F extends Fields>(tag: number, fields: F): Element<StructValue<F>> {
  checkTagKind(tag, true);
  const entries = Object.entries(fields);
  const seen = new Set<number>();
  for (const [name, element] of entries) {
    if (seen.has(element.tag)) throw new Error(`duplicate tag ${tagHex(element.tag)} at ${name}`);
    seen.add(element.tag);
  }
  return {
    tag,
    describe: 'fields in this order',
    children: fields,
    write(value, field) {
      if (typeof value !== 'object' || value === null) {
        throw new ProtocolError('bad_value', field, 'must be an object');
      }
      const parts = entries.map(([name, element]) =>
        element.write(value[name], `${field}.${name}`),
      );
      return encodeTlv(tag, Buffer.concat(parts), field);
    },
    read(bytes, start, end, field) {
      const out: Record<string, unknown> = {};
      let pos = start;
      for (const [name, element] of entries) {
        const path = `${field}.${name}`;
        const header = readExpected(bytes, pos, end, element.tag, path);
        out[name] = element.read(bytes, header.valueStart, header.end, path);
        pos = header.end;
      }
      if (pos !== end) {
        throw new ProtocolError('trailing_bytes', field, `${end - pos} bytes after the last field`);
      }
      return out as StructValue<F>;
    },
  };
}

export function list<T>(tag: number, item: Element<T>, maxItems: number): Element<T[]> {
  checkTagKind(tag, true);
  return {
    tag,
    describe: `0..${maxItems} items, each tagged ${tagHex(item.tag)}`,
    children: { item: item },
    write(values, field) {
      if (!Array.isArray(values) || values.length > maxItems) {
        throw new ProtocolError('bad_value', field, `must be a list of at most ${maxItems} items`);
      }
      return encodeTlv(
        tag,
        Buffer.concat(values.map((v, i) => item.write(v, `${field}[${i}]`))),
        field,
      );
    },
    read(bytes, start, end, field) {
      const out: T[] = [];
      let pos = start;
      while (pos < end) {
        const path = `${field}[${out.length}]`;
        if (out.length === maxItems)
          throw new ProtocolError('bad_value', path, `more than ${maxItems} items`);
        const header = readExpected(bytes, pos, end, item.tag, path);
        out.push(item.read(bytes, header.valueStart, header.end, path));
        pos = header.end;
      }
      return out;
    },
  };
}

/** Decodes bytes that must be exactly one `element`, nothing before or after. */
export function decodeElement<T>(element: Element<T>, bytes: Uint8Array, field: string): T {
  const header = readExpected(bytes, 0, bytes.length, element.tag, field);
  if (header.end !== bytes.length) {
    throw new ProtocolError(
      'trailing_bytes',
      field,
      `${bytes.length - header.end} bytes after the object`,
    );
  }
  return element.read(bytes, header.valueStart, header.end, field);
}
