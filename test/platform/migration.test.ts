import { describe, expect, it } from 'vitest';
import { generateSigningKey, hashPassword, Notification, type SigningKey } from '../../protocol';
import { balanceOf, ledgerAccount, postTransaction } from '../../platform/ledger/post';
import { HOLD_WINDOW_SECONDS } from '../../platform/migration';
import { backends, useTestDatabases } from './support/databases';
import { insertAccount, insertWallet, type WalletFixture } from './support/fixtures';
import { testPlatform } from './support/platform';
import { errorOf } from './support/requests';
import { callers } from './support/units';

describe.each(backends())('re-activation and migration on %s', (backend) => {
  const databases = useTestDatabases(backend);

  async function setup(oldBalance = 50_000) {
    const platform = await testPlatform(await databases.fresh());
    const { db, clock, app } = platform;
    const as = await callers(platform);
    const old = await insertWallet(db, { accountId: 'alice' });
    await db
      .updateTable('accounts')
      .set({ password_hash: await hashPassword('correct horse') })
      .where('account_id', '=', 'alice')
      .execute();
    const post = (reference: string, entries: { account: string; amount: number }[]) =>
      db
        .transaction()
        .execute((trx) =>
          postTransaction(trx, { kind: 'test.post', reference, entries, at: clock.now() }),
        );
    await post('load', [
      { account: 'platform:float', amount: -oldBalance },
      { account: ledgerAccount('wallet', old.walletIdHex), amount: oldBalance },
    ]);
    const lost = await app.inject(
      as.operator('POST', '/v1/lost-reports', { walletId: old.walletIdHex }),
    );
    expect(lost.statusCode).toBe(200);
    const next = await insertWallet(db, { accountId: 'alice' });
    const migrate = (wallet: WalletFixture, password = 'correct horse', ip = '10.0.0.5') =>
      app.inject({
        ...as.wallet(wallet, 'POST', '/v1/migrations', {
          registration: { accountId: 'alice', password },
        }),
        remoteAddress: ip,
      });
    const balances = async () => ({
      old: await balanceOf(db, ledgerAccount('wallet', old.walletIdHex)),
      next: await balanceOf(db, ledgerAccount('wallet', next.walletIdHex)),
      hold: await balanceOf(db, ledgerAccount('hold', old.walletIdHex)),
    });
    const notices = async (w: WalletFixture) =>
      (
        await db
          .selectFrom('notifications')
          .select('envelope')
          .where('wallet_id', '=', w.walletId)
          .orderBy('sequence')
          .execute()
      ).map((r) => Notification.decode(r.envelope).value);
    return { ...platform, as, old, next, migrate, balances, notices, post };
  }

  it('moves the balance minus the hold, tells both phones, and releases the hold once', async () => {
    const { app, as, clock, old, next, migrate, balances, notices, post } = await setup();
    const response = await migrate(next);
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      oldWalletId: old.walletIdHex,
      newWalletId: next.walletIdHex,
      moved: 30_000,
      held: 20_000,
      holdUntil: clock.now() + HOLD_WINDOW_SECONDS,
      balance: 30_000,
    });
    expect(await balances()).toEqual({ old: 0, next: 30_000, hold: 20_000 });
    expect((await notices(old)).map((n) => [n.notificationType, n.sequence])).toEqual([
      ['lock', 1],
      ['wipe', 2],
      ['migrate_out', 3],
    ]);
    expect((await notices(next)).map((n) => [n.notificationType, n.amount])).toEqual([
      ['top_up', 30_000],
    ]);

    const again = await migrate(next);
    expect([again.statusCode, errorOf(again).code]).toEqual([404, 'nothing_to_migrate']);
    const url = `/v1/migrations/${old.walletIdHex}/release`;
    const early = await app.inject(as.operator('POST', url, {}));
    expect([early.statusCode, errorOf(early).code]).toEqual([409, 'hold_window_open']);

    // A record the old phone signed before the window closed settles against the hold.
    await post('late-record', [
      { account: ledgerAccount('hold', old.walletIdHex), amount: -1_500 },
      { account: 'merchant:M1', amount: 1_500 },
    ]);
    // Or against the old wallet, which runs negative: the release settles both.
    await post('late-record-2', [
      { account: ledgerAccount('wallet', old.walletIdHex), amount: -500 },
      { account: 'merchant:M1', amount: 500 },
    ]);
    clock.advance(HOLD_WINDOW_SECONDS);
    const released = await app.inject(as.operator('POST', url, {}));
    expect(released.json()).toMatchObject({
      released: 18_000,
      balance: 48_000,
      notificationSequence: 2,
    });
    expect(await balances()).toEqual({ old: 0, next: 48_000, hold: 0 });
    expect((await notices(next)).at(-1)).toMatchObject({
      notificationType: 'balance_update',
      amount: 18_000,
      balance: 48_000,
    });
    const twice = await app.inject(as.operator('POST', url, {}));
    expect([twice.statusCode, errorOf(twice).code]).toEqual([409, 'hold_already_released']);
    const due = await app.inject(as.operator('POST', '/v1/migrations/release-due', {}));
    expect(due.json()).toEqual({ released: [] });
    await app.close();
  });

  it('refuses wrong registration details without changes, and rate-limits them', async () => {
    const { app, next, migrate, balances } = await setup();
    const before = await balances();
    for (let i = 0; i < 5; i += 1) {
      const refused = await migrate(next, 'wrong');
      expect([refused.statusCode, errorOf(refused).code]).toEqual([403, 'registration_mismatch']);
    }
    const limited = await migrate(next, 'correct horse');
    expect([limited.statusCode, errorOf(limited).code]).toEqual([429, 'rate_limited']);
    expect(await balances()).toEqual(before);
    expect((await migrate(next, 'correct horse', '10.0.0.6')).statusCode).toBe(429); // per wallet too
    await app.close();
  });

  it('holds the whole balance when it is within the offline limit; operators migrate and the job releases', async () => {
    const { app, as, clock, old, next, balances, notices } = await setup(8_000);
    const response = await app.inject(
      as.operator('POST', '/v1/migrations', {
        oldWalletId: old.walletIdHex,
        newWalletId: next.walletIdHex,
      }),
    );
    expect(response.json()).toMatchObject({ moved: 0, held: 8_000, balance: 0 });
    expect(await notices(next)).toEqual([]);
    const other = await insertWallet(app.platform.db, { accountId: 'bob', status: 'revoked' });
    const cross = await app.inject(
      as.operator('POST', '/v1/migrations', {
        oldWalletId: other.walletIdHex,
        newWalletId: next.walletIdHex,
      }),
    );
    expect([cross.statusCode, errorOf(cross).code]).toEqual([409, 'other_account']);
    clock.advance(HOLD_WINDOW_SECONDS);
    const due = await app.inject(as.operator('POST', '/v1/migrations/release-due', {}));
    expect(due.json()).toMatchObject({
      released: [{ oldWalletId: old.walletIdHex, released: 8_000 }],
    });
    expect(await balances()).toEqual({ old: 0, next: 8_000, hold: 0 });
    await app.close();
  });

  it('S6 end to end: activation, lost report, a new phone activates and takes the e-cash', async () => {
    const platform = await testPlatform(await databases.fresh());
    const { app, db, clock } = platform;
    const as = await callers(platform);
    await insertAccount(db, 'carol');
    await db
      .updateTable('accounts')
      .set({ password_hash: await hashPassword('carol password') })
      .where('account_id', '=', 'carol')
      .execute();
    await db.transaction().execute((trx) =>
      postTransaction(trx, {
        kind: 'test.load',
        entries: [
          { account: 'platform:float', amount: -30_000 },
          { account: 'user:carol', amount: 30_000 },
        ],
        at: clock.now(),
      }),
    );
    const activate = async (key: SigningKey, imei: string) => {
      const response = await app.inject(
        as.anonymous('POST', '/v1/activations', {
          imei,
          imsi: '310150123456789',
          walletPublicKey: Buffer.from(key.publicKey).toString('hex'),
          registration: { accountId: 'carol', password: 'carol password' },
        }),
      );
      expect(response.statusCode).toBe(201);
      const walletIdHex = response.json<{ walletId: string }>().walletId;
      return { walletId: Buffer.from(walletIdHex, 'hex'), walletIdHex, accountId: 'carol', key };
    };
    const oldPhone = await activate(generateSigningKey(), '490154203237518');
    expect(await balanceOf(db, ledgerAccount('wallet', oldPhone.walletIdHex))).toBe(30_000);
    const refused = await app.inject(
      as.anonymous('POST', '/v1/activations', {
        imei: '353918057348412',
        imsi: '310150123456789',
        walletPublicKey: Buffer.from(generateSigningKey().publicKey).toString('hex'),
        registration: { accountId: 'carol', password: 'carol password' },
      }),
    );
    expect(refused.statusCode).toBe(409);
    await app.inject(as.operator('POST', '/v1/lost-reports', { accountId: 'carol' }));
    const newPhone = await activate(generateSigningKey(), '353918057348412');
    const migrated = await app.inject(
      as.wallet(newPhone, 'POST', '/v1/migrations', {
        registration: { accountId: 'carol', password: 'carol password' },
      }),
    );
    expect(migrated.json()).toMatchObject({
      oldWalletId: oldPhone.walletIdHex,
      newWalletId: newPhone.walletIdHex,
      moved: 10_000,
      held: 20_000,
    });
    await app.close();
  });
});
