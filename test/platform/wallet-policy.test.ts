/**
 * The wallet policy reaches the routes through the platform's context (config.ts WALLET_*,
 * never read at import): terminals' defaults and the certificates issued follow the policy
 * the platform was built with.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_WALLET_POLICY } from '../../platform/activation/surface';
import { buildPlatform } from '../../platform/app';
import { ManualClock } from '../../platform/clock';
import { configFromEnv } from '../../platform/config';
import { IssuerKeys } from '../../platform/keys/issuer-keys';
import { UNITS } from '../../platform/units';
import { backends, useTestDatabases } from './support/databases';
import { T0 } from './support/platform';
import { callers } from './support/units';
import { randomBytes } from 'node:crypto';

describe.each(backends())('the wallet policy on %s', (backend) => {
  const databases = useTestDatabases(backend);

  it('gives terminals the T2, currency and limits of the configured policy', async () => {
    const db = await databases.fresh();
    const clock = new ManualClock(T0);
    const keys = await IssuerKeys.open({ db, clock, masterKey: randomBytes(32) });
    const { walletPolicy } = configFromEnv({
      WALLET_T2_SECONDS: '120',
      WALLET_CURRENCY: '840',
      WALLET_LIMIT_PER_PAYMENT: '700',
    });
    const app = await buildPlatform({ db, keys, clock, units: UNITS, walletPolicy });
    await app.ready();
    const as = await callers({ app, db, keys, clock });
    const created = await app.inject(
      as.operator('POST', '/v1/enrollment-codes', { merchantId: 'M-pol', terminalId: 'T-pol' }),
    );
    expect(created.statusCode).toBe(201);
    expect(created.json<{ parameters: unknown }>().parameters).toMatchObject({
      freshnessMaxAgeSeconds: 120,
      currency: 840,
      limitPerPayment: 700,
      limitOfflineAmount: DEFAULT_WALLET_POLICY.limitOfflineAmount,
    });
    await app.close();
  });
});
