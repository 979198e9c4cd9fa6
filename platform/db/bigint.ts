/**
 * Money and times are bigint columns. JavaScript numbers hold integers exactly only up to
 * 2^53 - 1, so every int8 read is parsed here and a larger value fails loudly instead of
 * silently losing units: no amount or time in this system comes near that bound, so
 * reaching it means corrupt data or an attack, never a value to round.
 */
export class UnsafeIntegerError extends RangeError {
  override readonly name = 'UnsafeIntegerError';
}

const INTEGER = /^-?[0-9]+$/;

/** Parses Postgres' text form of an int8 into a number, or throws UnsafeIntegerError. */
export function parseInt8(text: string): number {
  if (!INTEGER.test(text)) throw new UnsafeIntegerError(`not an integer: ${text}`);
  return toSafeNumber(BigInt(text), 'int8 column');
}

/** Narrows a bigint (or number) to a safe integer number, or throws UnsafeIntegerError. */
export function toSafeNumber(value: bigint | number | string, what = 'value'): number {
  const big = typeof value === 'bigint' ? value : BigInt(value);
  if (big > BigInt(Number.MAX_SAFE_INTEGER) || big < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new UnsafeIntegerError(`${what} ${big} is beyond 2^53 and cannot be held exactly`);
  }
  return Number(big);
}

/** Postgres type oids the platform parses itself. */
export const INT8_OID = 20;
