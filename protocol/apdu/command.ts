/**
 * Command APDUs as ISO/IEC 7816-4 §5.1 lays them out: a 4-byte header (CLA INS P1 P2)
 * and, depending on the case, Lc + data and/or Le, each in short (1-byte) or extended
 * (3-byte Lc / 2- or 3-byte Le) form. The length of the whole APDU decides the case, so
 * the parser walks the few legal shapes and refuses everything else; it never guesses.
 */
import { ProtocolError } from '../errors';

/** Short form carries at most 255 data bytes and expects at most 256 (Le 00). */
export const MAX_SHORT_LC = 255;
export const MAX_SHORT_LE = 256;
/** Extended form: at most 65,535 data bytes and 65,536 expected (Le 0000). */
export const MAX_EXTENDED_LC = 0xffff;
export const MAX_EXTENDED_LE = 0x1_0000;

export interface CommandApdu {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  /** Command data (empty for cases 1 and 2). Always a copy, never a view of the input. */
  data: Uint8Array;
  /** Bytes expected back (Ne): short Le 00 = 256, extended 0000 = 65536; undefined when absent. */
  le: number | undefined;
  /** True when Lc/Le used the extended form. */
  extended: boolean;
}

/** What `encodeCommandApdu` takes: the header, optional data, optional Ne. */
export interface CommandInput {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  data?: Uint8Array;
  le?: number;
}

const FIELD = 'apdu';

function bad(detail: string): ProtocolError {
  return new ProtocolError('bad_apdu', FIELD, detail);
}

function copy(bytes: Uint8Array, start: number, end: number): Uint8Array {
  // A plain Uint8Array copy: a Buffer's slice is a view, and even Uint8Array's slice would
  // return a Buffer for Buffer input, so decoded values would differ in type by caller.
  return new Uint8Array(bytes.subarray(start, end));
}

/** Parses one command APDU, throwing `bad_apdu` for any shape ISO 7816-4 does not allow. */
export function parseCommandApdu(bytes: Uint8Array): CommandApdu {
  if (!(bytes instanceof Uint8Array)) throw bad('not a byte array');
  const n = bytes.length;
  if (n < 4) throw bad(`${n} bytes, a command needs at least the 4-byte header`);
  const at = (i: number): number => bytes[i] as number; // every caller checked i < n
  const header = { cla: at(0), ins: at(1), p1: at(2), p2: at(3) };
  const result = (data: Uint8Array, le: number | undefined, extended: boolean): CommandApdu => ({
    ...header,
    data,
    le,
    extended,
  });

  // Case 1: header only.
  if (n === 4) return result(new Uint8Array(0), undefined, false);
  const b4 = at(4);
  // Case 2S: header + Le.
  if (n === 5) return result(new Uint8Array(0), b4 === 0 ? MAX_SHORT_LE : b4, false);

  if (b4 !== 0) {
    // Cases 3S and 4S: Lc is 1..255 and the data must end exactly there (plus one Le byte).
    const dataEnd = 5 + b4;
    if (n === dataEnd) return result(copy(bytes, 5, dataEnd), undefined, false);
    if (n === dataEnd + 1) {
      const le = at(dataEnd);
      return result(copy(bytes, 5, dataEnd), le === 0 ? MAX_SHORT_LE : le, false);
    }
    throw bad(`Lc ${b4} does not match the ${n - 5} bytes after it`);
  }

  // b4 = 00 with more bytes after it: extended form, or a short Lc of 0, which ISO forbids.
  if (n < 7) throw bad('Lc = 0 in short form');
  const word = (i: number): number => (at(i) << 8) | at(i + 1);
  // Case 2E: 00 Le1 Le2.
  if (n === 7) {
    const le = word(5);
    return result(new Uint8Array(0), le === 0 ? MAX_EXTENDED_LE : le, true);
  }
  const lc = word(5);
  if (lc === 0) throw bad('extended Lc = 0000');
  const dataEnd = 7 + lc;
  // Case 3E: 00 Lc1 Lc2 data.
  if (n === dataEnd) return result(copy(bytes, 7, dataEnd), undefined, true);
  // Case 4E: 00 Lc1 Lc2 data Le1 Le2 (Le has no leading 00 once Lc is present).
  if (n === dataEnd + 2) {
    const le = word(dataEnd);
    return result(copy(bytes, 7, dataEnd), le === 0 ? MAX_EXTENDED_LE : le, true);
  }
  throw bad(`extended Lc ${lc} does not match the ${n - 7} bytes after it`);
}

function checkByte(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 0 || value > 0xff)
    throw bad(`${name} ${String(value)} is not a byte`);
  return value;
}

/**
 * Encodes a command in short form when the data (≤ 255) and Ne (≤ 256) both fit, in
 * extended form otherwise — ISO requires Lc and Le to use the same form in one APDU.
 */
export function encodeCommandApdu(input: CommandInput): Uint8Array {
  const header = [
    checkByte(input.cla, 'CLA'),
    checkByte(input.ins, 'INS'),
    checkByte(input.p1, 'P1'),
    checkByte(input.p2, 'P2'),
  ];
  const data = input.data ?? new Uint8Array(0);
  if (!(data instanceof Uint8Array)) throw bad('data is not a byte array');
  if (data.length > MAX_EXTENDED_LC)
    throw bad(`${data.length} data bytes exceed ${MAX_EXTENDED_LC}`);
  const le = input.le;
  if (le !== undefined && (!Number.isInteger(le) || le < 1 || le > MAX_EXTENDED_LE)) {
    throw bad(`Le ${String(le)} is not in 1..${MAX_EXTENDED_LE}`);
  }

  const short = data.length <= MAX_SHORT_LC && (le === undefined || le <= MAX_SHORT_LE);
  const parts: number[] = [...header];
  if (short) {
    if (data.length > 0) parts.push(data.length);
    const out = Buffer.concat([Buffer.from(parts), data]);
    return le === undefined ? out : Buffer.concat([out, Buffer.of(le & 0xff)]);
  }
  // Extended: a single 00 marker, then Lc1 Lc2 if there is data, then Le1 Le2 if expected.
  parts.push(0);
  if (data.length > 0) parts.push(data.length >> 8, data.length & 0xff);
  const out = Buffer.concat([Buffer.from(parts), data]);
  return le === undefined ? out : Buffer.concat([out, Buffer.of((le >> 8) & 0xff, le & 0xff)]);
}
