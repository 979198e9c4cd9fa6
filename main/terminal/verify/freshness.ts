/** The freshness token (7.2 step 8): how long ago the wallet was last online. */
import { FreshnessToken, type Signed } from '../../../protocol';
import type { TerminalParameters, TrustKey } from '../model';
import { decodeIssued } from './decode';
import { decline, hex, sameBytes, type Checked } from './result';

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
  const decoded = decodeIssued(
    FreshnessToken,
    bytes,
    context,
    'freshness_invalid',
    (_signed, _issuer, code) => `freshness token: ${code}`,
  );
  if (!decoded.ok) return decoded;
  const token = decoded.value;
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
