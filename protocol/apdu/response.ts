/** Response APDUs: response data, then the two status bytes SW1 SW2. */
import { ProtocolError } from '../errors';

export interface ResponseApdu {
  /** Response data; a copy, never a view of the bytes parsed. */
  data: Uint8Array;
  /** SW1 << 8 | SW2. */
  sw: number;
}

export function encodeResponse(data: Uint8Array, sw: number): Uint8Array {
  if (!(data instanceof Uint8Array))
    throw new ProtocolError('bad_apdu', 'response', 'data is not a byte array');
  if (!Number.isInteger(sw) || sw < 0 || sw > 0xffff) {
    throw new ProtocolError('bad_apdu', 'response', `status word ${String(sw)} is not 2 bytes`);
  }
  return Buffer.concat([data, Buffer.of(sw >> 8, sw & 0xff)]);
}

export function parseResponse(bytes: Uint8Array): ResponseApdu {
  if (!(bytes instanceof Uint8Array))
    throw new ProtocolError('bad_apdu', 'response', 'not a byte array');
  const n = bytes.length;
  if (n < 2)
    throw new ProtocolError('bad_apdu', 'response', `${n} bytes, a response needs SW1 SW2`);
  return {
    data: new Uint8Array(bytes.subarray(0, n - 2)), // a plain copy, whatever the input type
    sw: ((bytes[n - 2] as number) << 8) | (bytes[n - 1] as number),
  };
}
