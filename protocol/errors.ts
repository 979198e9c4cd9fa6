/**
 * The one error type of the protocol library. Decoders and verifiers throw nothing else,
 * so callers can turn any bad input into a clear decline or a 4xx without guessing.
 */
export type ProtocolErrorCode =
  | 'truncated' // the bytes end before a tag, length or value does
  | 'bad_tag' // a tag other than the one the schema expects at this position
  | 'non_minimal_length' // a length encoded in more bytes than needed, or indefinite
  | 'length_too_large' // a length beyond what this protocol ever sends
  | 'trailing_bytes' // bytes left over after the object
  | 'bad_value' // a value of the right tag but the wrong size, range or form
  | 'bad_signature' // the signature does not verify under the given key
  | 'bad_key' // a public or private key that cannot be used
  | 'bad_apdu' // a command or response APDU that does not parse
  | 'seal_failed'; // sealed data that does not open (wrong key, tampered, truncated)

export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';

  constructor(
    readonly code: ProtocolErrorCode,
    /** Dotted path of the field at fault, e.g. `paymentRecord.amount`. */
    readonly field: string,
    detail: string,
  ) {
    super(`${field}: ${detail}`);
  }
}

export function isProtocolError(error: unknown): error is ProtocolError {
  return error instanceof ProtocolError;
}
