/**
 * Enrollment codes: 100 random bits, shown to the operator once, typed or scanned into the
 * terminal. Only sha256 of the normalised code is stored — enough for a high-entropy code,
 * and what lets the lookup be a single indexed equality.
 */
import { createHash, randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford base32: no I, L, O, U
const GROUPS = 4;
const GROUP_LENGTH = 5;
export const CODE_PREFIX = 'tsen';

/** `tsen-XXXXX-XXXXX-XXXXX-XXXXX` */
export function newEnrollmentCode(): string {
  const bytes = randomBytes(GROUPS * GROUP_LENGTH);
  const chars = [...bytes].map((b) => ALPHABET[b & 31] ?? '0');
  const groups = [];
  for (let g = 0; g < GROUPS; g += 1)
    groups.push(chars.slice(g * GROUP_LENGTH, (g + 1) * GROUP_LENGTH).join(''));
  return [CODE_PREFIX, ...groups].join('-');
}

/** Case, spaces and dashes do not matter; the look-alikes I/L → 1 and O → 0 as Crockford says. */
export function normaliseCode(code: string): string {
  const body = code.trim().toUpperCase().replace(/^TSEN/, '');
  return body.replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
}

export function hashCode(code: string): Buffer {
  return createHash('sha256')
    .update(`${CODE_PREFIX}:${normaliseCode(code)}`)
    .digest();
}
