import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { audit, REDACTED, scrubDetail } from '../../platform/audit';
import { PlatformError } from '../../platform/errors';
import { AttemptLimiter } from '../../platform/security/attempt-limiter';
import { backends, useTestDatabases } from './support/databases';
import { T0 } from './support/platform';

describe.each(backends())('attempt limits and audit log on %s', (backend) => {
  const databases = useTestDatabases(backend);
  const limiter = new AttemptLimiter({ name: 'unlock', maxFailures: 3, windowSeconds: 600 });

  it('refuses after too many failures per wallet, per address, until the window ends', async () => {
    const db = await databases.fresh();
    const fromHome = { wallet: 'w1', address: '10.0.0.1' };
    for (let i = 0; i < 3; i++) {
      await limiter.assertAllowed(db, T0 + i, fromHome);
      await limiter.recordFailure(db, T0 + i, fromHome);
    }
    const refused = limiter.assertAllowed(db, T0 + 10, fromHome);
    await expect(refused).rejects.toBeInstanceOf(PlatformError);
    await expect(refused).rejects.toMatchObject({
      statusCode: 429,
      code: 'rate_limited',
      headers: { 'retry-after': '590' },
    });
    // The same wallet from elsewhere: still the wallet's limit. Another wallet from the same address: the address's.
    await expect(
      limiter.assertAllowed(db, T0 + 10, { wallet: 'w1', address: '10.0.0.2' }),
    ).rejects.toMatchObject({ statusCode: 429 });
    await expect(
      limiter.assertAllowed(db, T0 + 10, { wallet: 'w2', address: '10.0.0.1' }),
    ).rejects.toMatchObject({ statusCode: 429 });
    await expect(
      limiter.assertAllowed(db, T0 + 10, { wallet: 'w2', address: '10.0.0.2' }),
    ).resolves.toBeUndefined();
    // Another limiter keeps its own counts.
    const other = new AttemptLimiter({ name: 'password', maxFailures: 3, windowSeconds: 600 });
    await expect(other.assertAllowed(db, T0 + 10, fromHome)).resolves.toBeUndefined();
    // The window ends; a new failure starts a new window.
    await expect(limiter.assertAllowed(db, T0 + 600, fromHome)).resolves.toBeUndefined();
    await limiter.recordFailure(db, T0 + 600, fromHome);
    const rows = await db
      .selectFrom('attempt_failures')
      .selectAll()
      .where('scope', '=', 'wallet')
      .execute();
    expect(rows).toEqual([
      expect.objectContaining({ subject: 'w1', window_start: T0 + 600, failures: 1 }),
    ]);
  });

  it('counts concurrent failures, and clears a scope after a success', async () => {
    const db = await databases.fresh();
    await Promise.all([1, 2, 3, 4].map(() => limiter.recordFailure(db, T0, { wallet: 'w9' })));
    const row = await db
      .selectFrom('attempt_failures')
      .select('failures')
      .executeTakeFirstOrThrow();
    expect(row.failures).toBe(4);
    await limiter.clear(db, { wallet: 'w9' });
    await expect(limiter.assertAllowed(db, T0, { wallet: 'w9' })).resolves.toBeUndefined();
  });

  it('writes audit rows with secrets scrubbed, and never lets them change', async () => {
    const db = await databases.fresh();
    await audit(db, {
      actor: { kind: 'operator', id: 'abc' },
      action: 'wallet.unlock',
      subject: 'wallet:00ff',
      outcome: 'denied',
      remoteAddress: '10.0.0.1',
      detail: {
        reason: 'imsi mismatch',
        password: 'hunter2',
        nested: { privateKey: 'k', imei: '490154203237518' },
        list: [{ token: 't' }],
      },
      at: T0,
    });
    const row = await db.selectFrom('audit_log').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      actor_kind: 'operator',
      action: 'wallet.unlock',
      outcome: 'denied',
      at: T0,
    });
    expect(row.detail).toEqual({
      reason: 'imsi mismatch',
      password: REDACTED,
      nested: { privateKey: REDACTED, imei: REDACTED },
      list: [{ token: REDACTED }],
    });
    await expect(sql`update audit_log set outcome = 'ok'`.execute(db)).rejects.toMatchObject({
      code: '42501',
    });
    await expect(sql`delete from audit_log`.execute(db)).rejects.toMatchObject({ code: '42501' });
  });
});

describe('scrubDetail', () => {
  it('redacts secret-looking keys at any depth and summarises bytes', () => {
    expect(
      scrubDetail({
        operatorToken: 'x',
        Authorization: 'y',
        masterKey: 'z',
        amount: 5,
        bytes: new Uint8Array(3),
      }),
    ).toEqual({
      operatorToken: REDACTED,
      Authorization: REDACTED,
      masterKey: REDACTED,
      amount: 5,
      bytes: '<3 bytes>',
    });
  });
});
