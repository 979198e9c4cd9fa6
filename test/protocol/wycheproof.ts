/**
 * Loading of the Wycheproof vectors copied into test/fixtures/wycheproof (Apache-2.0, see
 * the LICENSE beside them), plus the conversions the vector files need to reach our API.
 */
import { readFileSync } from 'node:fs';

export interface WycheproofFile<G> {
  readonly algorithm: string;
  readonly numberOfTests: number;
  readonly testGroups: readonly G[];
}

export interface Case {
  readonly tcId: number;
  readonly comment: string;
  readonly flags: readonly string[];
  readonly result: 'valid' | 'invalid' | 'acceptable';
}

export function loadVectors<G>(name: string): WycheproofFile<G> {
  const url = new URL(`../fixtures/wycheproof/${name}`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as WycheproofFile<G>;
}

export const hex = (text: string): Buffer => Buffer.from(text, 'hex');

/**
 * The verdict we must reach. Neither ECDSA file nor the AES-GCM and HKDF files of this
 * Wycheproof release has "acceptable" cases; if an update brings some, failing here forces
 * an explicit policy decision instead of silently counting them one way or the other.
 */
export function mustAccept(c: Case): boolean {
  if (c.result === 'acceptable')
    throw new Error(`tcId ${c.tcId}: "acceptable" case needs a policy`);
  return c.result === 'valid';
}

export const describeCase = (c: Case): string =>
  `tcId ${c.tcId} [${c.flags.join(',')}] ${c.comment}: expected ${c.result}`;

/** SEC1 uncompressed (04 || x || y) to compressed (02|03 || x), the project's key form. */
export function compressPoint(uncompressed: Uint8Array): Uint8Array {
  if (uncompressed.length !== 65 || uncompressed[0] !== 0x04) throw new Error('not 04||x||y');
  const yOdd = (uncompressed[64] as number) & 1;
  return Buffer.concat([Buffer.of(0x02 | yOdd), uncompressed.subarray(1, 33)]);
}

/** One INTEGER of a strict DER signature: minimal, non-negative, at most 32 value bytes. */
function derInteger(der: Uint8Array, at: number): { value: Buffer; next: number } | null {
  if (der[at] !== 0x02) return null;
  const length = der[at + 1];
  // Short-form length only: a P-256 INTEGER is at most 33 bytes, so long form is not minimal.
  if (length === undefined || length === 0 || length >= 0x80) return null;
  const start = at + 2;
  const end = start + length;
  if (end > der.length) return null;
  const first = der[start] as number;
  if (first & 0x80) return null; // negative
  if (first === 0 && length > 1 && ((der[start + 1] as number) & 0x80) === 0) return null; // padded
  const value = Buffer.from(der.subarray(first === 0 && length > 1 ? start + 1 : start, end));
  return value.length > 32 ? null : { value, next: end };
}

/**
 * Strict DER `SEQUENCE { INTEGER r, INTEGER s }` to P1363 r||s, or null when the bytes are
 * not the unique DER encoding of two integers that fit 32 bytes. Range checks (0 < r,s < n)
 * are deliberately left to the verifier under test.
 */
export function derToP1363(der: Uint8Array): Uint8Array | null {
  if (der.length < 2 || der[0] !== 0x30) return null;
  const length = der[1] as number;
  if (length >= 0x80 || length !== der.length - 2) return null;
  const r = derInteger(der, 2);
  const s = r && derInteger(der, r.next);
  if (!r || !s || s.next !== der.length) return null;
  const pad = (v: Buffer): Buffer => Buffer.concat([Buffer.alloc(32 - v.length), v]);
  return Buffer.concat([pad(r.value), pad(s.value)]);
}
