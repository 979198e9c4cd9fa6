/**
 * A sync's freshness token (the e-cash access unit's settlement view, claims 19-20): checked
 * before anything of the sync is applied, so a bad token changes nothing.
 */
import { FreshnessToken, type Signed } from '../../protocol';
import { SyncError } from '../errors';
import type { AccessRecord, WalletSecrets } from '../storage/records';
import { openIssuerSigned } from './issuer-keys';
import { offlineTotalsAfterSync } from './payment';

/**
 * The token to install, or undefined when it is older than the one held (a delayed answer:
 * harmless, ignored). Throws SyncError bad_freshness for a token that must not be trusted.
 * Its sync time is not compared with the phone's clock: terminals judge a token's age with
 * their own clocks, and a phone's clock may be wrong either way.
 */
export function checkFreshness(
  access: AccessRecord,
  secrets: WalletSecrets,
  bytes: Uint8Array,
  now: number,
): Signed<FreshnessToken> | undefined {
  const token = openIssuerSigned(
    FreshnessToken,
    bytes,
    access.issuerKeys,
    (t) => t.issuerKeyId,
    now,
  );
  if (token === undefined) {
    throw new SyncError('bad_freshness', 'does not decode or verify under an issuer key');
  }
  if (!Buffer.from(token.value.walletId).equals(secrets.walletId)) {
    throw new SyncError('bad_freshness', 'names another wallet');
  }
  // The platform can only have seen payments this wallet made: a higher counter means a
  // token for another copy of this wallet (a clone), never for this one.
  if (token.value.counter > secrets.counter) {
    throw new SyncError('bad_freshness', `counter ${token.value.counter} > ${secrets.counter}`);
  }
  const held = FreshnessToken.decode(secrets.freshness).value;
  return token.value.syncTime < held.syncTime ? undefined : token;
}

/** The secrets with `token` installed and the offline totals counted from it. */
export function withFreshness(
  secrets: WalletSecrets,
  token: Signed<FreshnessToken>,
): WalletSecrets {
  return {
    ...secrets,
    freshness: token.encoded,
    ...offlineTotalsAfterSync(secrets, token.value.counter),
  };
}
