/** The freshness token (7.2 step 8): how long ago the wallet was last online. */
import { FreshnessToken, isProtocolError, type Signed } from '../../../protocol';
import type { TerminalParameters, TrustKey } from '../model';
import { decodeAnswer } from './decode';
import { decline, hex, sameBytes, type Checked } from './result';
import { issuerKeyFor } from './trust';

/** A token from the future beyond this much clock skew is refused. */
export const FRESHNESS_FUTURE_SKEW_SECONDS = 300;

export function checkFreshness(
  bytes: Uint8Array,
  context: {
    trustKeys: readonly TrustKey[];
    parameters: TerminalParameters;
    now: number;
    walletId: Uint8Array;
  },
): Checked<{ token: Signed<FreshnessToken> }> {
  const decoded = decodeAnswer(FreshnessToken, bytes);
  if (!decoded.ok) return decoded;
  const token = decoded.value;
  const issuer = issuerKeyFor(
    context.trustKeys,
    token.value.issuerKeyId,
    context.now,
    'freshness token',
  );
  if (!issuer.ok) return issuer;
  try {
    FreshnessToken.verify(token, issuer.key.publicKey);
  } catch (error) {
    if (!isProtocolError(error)) throw error;
    return decline('freshness_invalid', `freshness token: ${error.code}`);
  }
  if (!sameBytes(token.value.walletId, context.walletId)) {
    return decline(
      'wallet_mismatch',
      `the freshness token names wallet ${hex(token.value.walletId)}, the certificate ${hex(context.walletId)}`,
    );
  }
  const age = context.now - token.value.syncTime;
  const maxAge = context.parameters.freshnessMaxAgeSeconds;
  if (age > maxAge) {
    return decline('freshness_stale', `last sync ${age} s ago, at most ${maxAge} s`);
  }
  if (age < -FRESHNESS_FUTURE_SKEW_SECONDS) {
    return decline(
      'freshness_future',
      `last sync ${-age} s in the future, at most ${FRESHNESS_FUTURE_SKEW_SECONDS} s of clock skew`,
    );
  }
  return { ok: true, token };
}
