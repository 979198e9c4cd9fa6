/** The freshness token: signer, signature, walletId, age within T2 and not from the future. */
import { describe, expect, it } from 'vitest';
import { keyIdOf } from '../../../protocol';
import { checkFreshness, FRESHNESS_FUTURE_SKEW_SECONDS } from '../../../main/terminal/verify';
import { strangerKey } from '../../handset/support/platform';
import {
  freshnessToken,
  nonCanonical,
  NOW,
  OTHER_WALLET_ID,
  parameters,
  trustKey,
  WALLET_ID,
} from '../support/world';

const context = { trustKeys: [trustKey], parameters, now: NOW, walletId: WALLET_ID };
const maxAge = parameters.freshnessMaxAgeSeconds;

describe('checkFreshness', () => {
  it('accepts a token exactly T2 old and one 300 s in the future', () => {
    expect(checkFreshness(freshnessToken({ syncTime: NOW - maxAge }).encoded, context).ok).toBe(
      true,
    );
    const future = freshnessToken({ syncTime: NOW + FRESHNESS_FUTURE_SKEW_SECONDS });
    expect(checkFreshness(future.encoded, context).ok).toBe(true);
  });

  it('declines freshness_stale one second past T2', () => {
    const stale = freshnessToken({ syncTime: NOW - maxAge - 1 });
    expect(checkFreshness(stale.encoded, context)).toMatchObject({
      ok: false,
      code: 'freshness_stale',
    });
  });

  it('declines freshness_future beyond 300 s of clock skew', () => {
    const future = freshnessToken({ syncTime: NOW + FRESHNESS_FUTURE_SKEW_SECONDS + 1 });
    expect(checkFreshness(future.encoded, context)).toMatchObject({
      ok: false,
      code: 'freshness_future',
    });
  });

  it('declines freshness_invalid for a forged token and unknown_issuer for a foreign signer', () => {
    expect(checkFreshness(freshnessToken({}, strangerKey).encoded, context)).toMatchObject({
      code: 'freshness_invalid',
    });
    const foreign = freshnessToken({ issuerKeyId: keyIdOf(strangerKey.publicKey) }, strangerKey);
    expect(checkFreshness(foreign.encoded, context)).toMatchObject({ code: 'unknown_issuer' });
  });

  it("declines wallet_mismatch for another wallet's token, malformed_answer for bad TLV", () => {
    const other = freshnessToken({ walletId: OTHER_WALLET_ID });
    expect(checkFreshness(other.encoded, context)).toMatchObject({ code: 'wallet_mismatch' });
    expect(checkFreshness(nonCanonical(freshnessToken().encoded), context)).toMatchObject({
      code: 'malformed_answer',
    });
  });
});
