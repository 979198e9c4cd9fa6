/** The terminal's own velocity limits, and what a wallet may still do under them. */
import { describe, expect, it } from 'vitest';
import {
  checkAmountForWallet,
  checkVelocity,
  DEFAULT_MAX_PAYMENTS_PER_HOUR,
  velocityLimits,
} from '../../../main/terminal/verify';
import { parameters, walletCertificate } from '../support/world';

const none = { count: 0, amount: 0 };

describe('velocityLimits', () => {
  it('defaults to 10 payments an hour and the offline allowance a day', () => {
    expect(velocityLimits({}, parameters)).toEqual({
      maxPaymentsPerHour: DEFAULT_MAX_PAYMENTS_PER_HOUR,
      maxAmountPerDay: parameters.limitOfflineAmount,
    });
    expect(velocityLimits({ maxPaymentsPerHour: 3, maxAmountPerDay: 900 }, parameters)).toEqual({
      maxPaymentsPerHour: 3,
      maxAmountPerDay: 900,
    });
  });
});

describe('checkVelocity', () => {
  const limits = { maxPaymentsPerHour: 3, maxAmountPerDay: 10_000 };

  it('allows the last payment of the hour and declines the one after', () => {
    const two = { count: 2, amount: 200 };
    expect(checkVelocity(100, { lastHour: two, lastDay: two }, limits).ok).toBe(true);
    const three = { count: 3, amount: 300 };
    expect(checkVelocity(100, { lastHour: three, lastDay: three }, limits)).toMatchObject({
      ok: false,
      code: 'over_terminal_velocity',
    });
  });

  it('declines over_terminal_velocity when the day total would pass the cap', () => {
    const day = { count: 2, amount: 9_000 };
    expect(checkVelocity(1_000, { lastHour: none, lastDay: day }, limits).ok).toBe(true);
    expect(checkVelocity(1_001, { lastHour: none, lastDay: day }, limits)).toMatchObject({
      code: 'over_terminal_velocity',
    });
  });
});

describe('checkAmountForWallet', () => {
  it("declines over_payment_limit above the wallet certificate's limit, before PAY", () => {
    const certificate = walletCertificate({ limitPerPayment: 1_000 }).value;
    expect(checkAmountForWallet(1_000, certificate, parameters).ok).toBe(true);
    expect(checkAmountForWallet(1_001, certificate, parameters)).toMatchObject({
      code: 'over_payment_limit',
    });
  });

  it("declines over_payment_limit above the terminal's own limit, whatever the wallet's", () => {
    const certificate = walletCertificate().value;
    const tight = { ...parameters, limitPerPayment: 500 };
    expect(checkAmountForWallet(500, certificate, tight).ok).toBe(true);
    const declined = checkAmountForWallet(501, certificate, tight);
    expect(declined).toMatchObject({ code: 'over_payment_limit' });
    expect(!declined.ok && declined.detail).toContain('terminal');
  });
});
