/**
 * Migration between two wallets of one account (the operator's route), the risk hold and
 * its release. The user's own path, re-activation in one step, is reactivation.test.ts;
 * the periodic release job is holds-timer.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { Notification } from '../../protocol';
import { balanceOf, ledgerAccount, postTransaction } from '../../platform/ledger/post';
import { HOLD_WINDOW_SECONDS } from '../../platform/migration/surface';
import { backends, useTestDatabases } from './support/databases';
import { insertWallet, type WalletFixture } from './support/fixtures';
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
    const migrate = (from = old, to = next) =>
      app.inject(
        as.operator('POST', '/v1/migrations', {
          oldWalletId: from.walletIdHex,
          newWalletId: to.walletIdHex,
        }),
      );
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
    const response = await migrate();
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

    const again = await migrate();
    expect([again.statusCode, errorOf(again).code]).toEqual([409, 'already_migrated']);
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
    expect(due.json()).toEqual({ released: [], failed: [] });
    await app.close();
  });

  it('is an operator route: a wallet is refused, both wallets must be named', async () => {
    const { app, as, next, balances } = await setup();
    const before = await balances();
    const byWallet = await app.inject(
      as.wallet(next, 'POST', '/v1/migrations', { registration: { accountId: 'alice' } }),
    );
    expect([byWallet.statusCode, errorOf(byWallet).code]).toEqual([403, 'role_not_allowed']);
    const half = await app.inject(
      as.operator('POST', '/v1/migrations', { oldWalletId: next.walletIdHex }),
    );
    expect([half.statusCode, errorOf(half).field]).toEqual([400, 'newWalletId']);
    expect(await balances()).toEqual(before);
    await app.close();
  });

  it('refuses a new wallet that is not active, and a wallet to itself', async () => {
    const { app, db, old, migrate, balances } = await setup();
    const before = await balances();
    const gone = await insertWallet(db, { accountId: 'alice', status: 'revoked' });
    const toRevoked = await migrate(old, gone);
    expect([toRevoked.statusCode, errorOf(toRevoked).code]).toEqual([409, 'new_wallet_not_active']);
    const self = await migrate(old, old);
    expect([self.statusCode, errorOf(self).code]).toEqual([409, 'same_wallet']);
    expect(await balances()).toEqual(before);
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
});
