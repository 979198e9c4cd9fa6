/** Issuer keys the terminal trusts (docs/protocol.md 7.1 step 4). */
import type { TrustKey } from '../model';
import { decline, hex, sameBytes, type Checked } from './result';

/** A trust key verifies while `retiredAt` is null or the terminal's clock is before it. */
export function keyVerifiesAt(key: TrustKey, now: number): boolean {
  return key.retiredAt === null || now < key.retiredAt;
}

/** The trust key named `issuerKeyId`, if it verifies now; `unknown_issuer` otherwise. */
export function issuerKeyFor(
  trustKeys: readonly TrustKey[],
  issuerKeyId: Uint8Array,
  now: number,
  what: string,
): Checked<{ key: TrustKey }> {
  const key = trustKeys.find((candidate) => sameBytes(candidate.keyId, issuerKeyId));
  if (key === undefined) {
    return decline('unknown_issuer', `${what}: issuer key ${hex(issuerKeyId)} is not trusted`);
  }
  if (!keyVerifiesAt(key, now)) {
    return decline(
      'unknown_issuer',
      `${what}: issuer key ${hex(issuerKeyId)} retired at ${String(key.retiredAt)}`,
    );
  }
  return { ok: true, key };
}
