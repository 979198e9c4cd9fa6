/**
 * State that lives as long as one app (the push hub, the settlement certificate cache) is
 * its context's, not the module's: two platforms in one process share nothing.
 */
import { describe, expect, it } from 'vitest';
import { buildPlatform } from '../../platform/app';
import { announceNotices } from '../../platform/notifications/surface';
import { backends, useTestDatabases } from './support/databases';
import { testPlatform } from './support/platform';
import { callers } from './support/units';
import { activateWallet, registerUser } from './support/wallet-users';

describe.each(backends())('per-app state on %s', (backend) => {
  const databases = useTestDatabases(backend);

  it('gives each app its own push hub and certificate cache', async () => {
    const a = await testPlatform(await databases.fresh());
    const b = await buildPlatform({ db: a.db, keys: a.keys, clock: a.clock });
    try {
      const call = await callers(a);
      await registerUser(a, call, 'alice', 5_000);
      const wallet = await activateWallet(a, call, 'alice', { amount: 1_000 });
      const heard = { a: 0, b: 0 };
      a.app.platform.pushHub.subscribe(wallet.walletIdHex, () => heard.a++);
      b.platform.pushHub.subscribe(wallet.walletIdHex, () => heard.b++);

      announceNotices(a.app.platform, wallet.walletIdHex);
      expect(heard).toEqual({ a: 1, b: 0 });
      const topUp = await a.app.inject(
        call.operator('POST', `/v1/wallets/${wallet.walletIdHex}/top-up`, { amount: 10 }),
      );
      expect(topUp.statusCode).toBe(200);
      expect(heard).toEqual({ a: 2, b: 0 });

      const row = await a.db
        .selectFrom('wallets')
        .select('certificate')
        .where('wallet_id', '=', Buffer.from(wallet.walletIdHex, 'hex'))
        .executeTakeFirstOrThrow();
      const known = a.app.platform.certificates.known(wallet.walletIdHex, row.certificate);
      expect(a.app.platform.certificates.known(wallet.walletIdHex, row.certificate)).toBe(known);
      expect(b.platform.certificates.known(wallet.walletIdHex, row.certificate)).not.toBe(known);
    } finally {
      await b.close();
      await a.app.close();
    }
  });
});
