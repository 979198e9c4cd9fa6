/**
 * The ledger's bound (ledger/post.ts MAX_AMOUNT = 2^53 − 1): no posting may take any
 * account's balance beyond it, platform:float included; the refusal is 422
 * `amount_too_large`, before anything is written, never a 500 when the balance is read.
 */
import { describe, expect, it } from 'vitest';
import { isPlatformError } from '../../platform/errors';
import { balanceOf, postTransaction } from '../../platform/ledger/post';
import { UNITS } from '../../platform/units';
import { backends, useTestDatabases } from './support/databases';
import { testPlatform } from './support/platform';
import { errorOf } from './support/requests';
import { callers } from './support/units';

const MAX_AMOUNT = Number.MAX_SAFE_INTEGER;

describe.each(backends())('the money bound on %s', (backend) => {
  const databases = useTestDatabases(backend);

  it('refuses a load that would take an account, or the float, beyond 2^53 − 1 with 422', async () => {
    const platform = await testPlatform(await databases.fresh(), { units: UNITS });
    const { app, db } = platform;
    const as = await callers(platform);
    for (const accountId of ['rich-1', 'rich-2']) {
      const created = await app.inject(
        as.operator('POST', '/v1/accounts', {
          accountId,
          name: 'Rich',
          password: 'long enough pw',
        }),
      );
      expect(created.statusCode).toBe(201);
    }
    const load = (accountId: string, amount: number) =>
      app.inject(as.operator('POST', `/v1/accounts/${accountId}/load`, { amount }));

    const full = await load('rich-1', MAX_AMOUNT);
    expect(full.statusCode).toBe(200);
    expect(full.json()).toEqual({ accountId: 'rich-1', balance: MAX_AMOUNT });

    const beyond = await load('rich-1', MAX_AMOUNT);
    expect(beyond.statusCode).toBe(422);
    expect(errorOf(beyond)).toMatchObject({ code: 'amount_too_large', field: 'amount' });
    expect((await load('rich-1', 1)).statusCode).toBe(422);

    // rich-2 holds nothing, but the float already owes 2^53 − 1.
    const floatBeyond = await load('rich-2', MAX_AMOUNT);
    expect(floatBeyond.statusCode).toBe(422);
    expect(errorOf(floatBeyond).code).toBe('amount_too_large');

    expect(await balanceOf(db, 'user:rich-1')).toBe(MAX_AMOUNT);
    expect(await balanceOf(db, 'user:rich-2')).toBe(0);
    expect(await balanceOf(db, 'platform:float')).toBe(-MAX_AMOUNT);
    const view = await app.inject(as.operator('GET', '/v1/accounts/rich-1'));
    expect(view.statusCode).toBe(200);
    await app.close();
  });

  it('checks every account of a posting before writing any entry', async () => {
    const db = await databases.fresh();
    const post = (entries: { account: string; amount: number }[]) =>
      db
        .transaction()
        .execute((trx) => postTransaction(trx, { kind: 'test.move', entries, at: 1 }));
    await post([
      { account: 'platform:float', amount: -MAX_AMOUNT },
      { account: 'user:a', amount: MAX_AMOUNT },
    ]);
    // Two entries of 2^52 to one account add up to 2^53: one unit too many.
    const refused = await post([
      { account: 'user:a', amount: -MAX_AMOUNT },
      { account: 'platform:other', amount: -1 },
      { account: 'user:b', amount: 2 ** 52 },
      { account: 'user:b', amount: 2 ** 52 },
    ]).catch((error: unknown) => error);
    expect(isPlatformError(refused) && refused.code).toBe('amount_too_large');
    expect(await balanceOf(db, 'user:a')).toBe(MAX_AMOUNT);
    expect(await balanceOf(db, 'user:b')).toBe(0);
  });
});
