/**
 * Codecs for the values inside primitive TLVs. Each accepts exactly one byte form per
 * value (minimal unsigned integers, fixed sizes, a closed character set), so a decoded
 * object re-encodes to the same bytes and a signature covers one meaning only.
 */
import { ProtocolError } from '../errors';

export interface ValueCodec<T> {
  /** Human description for docs/protocol.md and error messages. */
  readonly describe: string;
  encode(value: T, field: string): Uint8Array;
  /** Decodes `bytes[start..end)`; ranges instead of subarrays keep decoding allocation-light. */
  decode(bytes: Uint8Array, start: number, end: number, field: string): T;
}

function badValue(field: string, detail: string): ProtocolError {
  return new ProtocolError('bad_value', field, detail);
}

/** The input as text for an error message. Never throws: String() does for some objects. */
function show(value: unknown): string {
  try {
    return String(value);
  } catch {
    return typeof value;
  }
}

/** Unsigned integer, big-endian, fewest bytes (zero is one 0x00 byte), at most `max`. */
export function uint(max: number = Number.MAX_SAFE_INTEGER): ValueCodec<number> {
  return {
    describe: `uint ≤ ${max === Number.MAX_SAFE_INTEGER ? '2^53 − 1' : max}`,
    encode(value, field) {
      if (!Number.isSafeInteger(value) || value < 0 || value > max) {
        throw badValue(field, `${show(value)} is not an integer in 0..${max}`);
      }
      const out: number[] = [];
      let rest = value;
      do {
        out.unshift(rest % 256);
        rest = Math.floor(rest / 256);
      } while (rest > 0);
      return Uint8Array.from(out);
    },
    decode(bytes, start, end, field) {
      const size = end - start;
      if (size === 0 || size > 7) throw badValue(field, `${size}-byte integer`);
      if (size > 1 && bytes[start] === 0) throw badValue(field, 'integer has a leading zero byte');
      let value = 0;
      for (let i = start; i < end; i++) value = value * 256 + (bytes[i] as number);
      if (value > max) throw badValue(field, `${value} exceeds ${max}`);
      return value;
    },
  };
}

export function fixedBytes(size: number): ValueCodec<Uint8Array> {
  return {
    describe: `${size} bytes`,
    encode(value, field) {
      if (!(value instanceof Uint8Array) || value.length !== size) {
        throw badValue(field, `must be ${size} bytes`);
      }
      return value;
    },
    decode(bytes, start, end, field) {
      if (end - start !== size) throw badValue(field, `${end - start} bytes, expected ${size}`);
      return Uint8Array.prototype.slice.call(bytes, start, end);
    },
  };
}

const ID_PATTERN = /^[A-Za-z0-9._-]+$/;

/** Printable identifiers (merchant, terminal): ASCII letters, digits, `.`, `_`, `-`. */
export function identifier(maxLength: number): ValueCodec<string> {
  const check = (value: string, field: string): string => {
    // typeof first: RegExp.test stringifies, so 12345 or ['M-1'] would otherwise pass.
    if (
      typeof value !== 'string' ||
      value.length === 0 ||
      value.length > maxLength ||
      !ID_PATTERN.test(value)
    ) {
      throw badValue(field, `identifier must be 1..${maxLength} of [A-Za-z0-9._-]`);
    }
    return value;
  };
  return {
    describe: `ASCII identifier, 1..${maxLength} of [A-Za-z0-9._-]`,
    encode: (value, field) => Buffer.from(check(value, field), 'latin1'),
    decode(bytes, start, end, field) {
      if (end - start > maxLength) throw badValue(field, `identifier longer than ${maxLength}`);
      let text = '';
      for (let i = start; i < end; i++) text += String.fromCharCode(bytes[i] as number);
      return check(text, field);
    },
  };
}

/** One byte naming one of `names`, numbered from 1 so that 0x00 never means anything. */
export function enumeration<const N extends readonly string[]>(names: N): ValueCodec<N[number]> {
  return {
    describe: `1 byte: ${names.map((name, i) => `${(i + 1).toString(16).padStart(2, '0')}=${name}`).join(', ')}`,
    encode(value, field) {
      const index = names.indexOf(value);
      if (index < 0) throw badValue(field, `unknown value ${show(value)}`);
      return Uint8Array.of(index + 1);
    },
    decode(bytes, start, end, field) {
      const name = end - start === 1 ? names[(bytes[start] as number) - 1] : undefined;
      if (name === undefined) {
        throw badValue(
          field,
          `unknown code ${Buffer.from(bytes.subarray(start, end)).toString('hex')}`,
        );
      }
      return name;
    },
  };
}
