/** The notification socket: wallet-signed handshake, backlog, push on commit, acks. */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { backends, useTestDatabases } from './support/databases';
import { insertWallet } from './support/fixtures';
import { noticesOf, openNoticeSocket } from './support/notice-socket';
import { testPlatform } from './support/platform';
import { callers } from './support/units';
import { activateWallet, registerUser } from './support/wallet-users';

const sequences = (frame: unknown) => noticesOf(frame).map((notice) => notice.sequence);

describe.each(backends())('notification socket on %s', (backend) => {
  const databases = useTestDatabases(backend);

  it('sends the backlog, then each new notice after commit; acks mark them delivered', async () => {
    const platform = await testPlatform(await databases.fresh());
    const call = await callers(platform);
    await registerUser(platform, call, 'alice', 5_000);
    const wallet = await activateWallet(platform, call, 'alice', { amount: 1_000 });
    const topUp = () =>
      platform.app.inject(
        call.operator('POST', `/v1/wallets/${wallet.walletIdHex}/top-up`, { amount: 10 }),
      );
    await topUp();
    await topUp();

    const { socket, received } = await openNoticeSocket(platform, wallet, wallet.walletIdHex, 1);
    expect(sequences(await received.next())).toEqual([2]);
    await topUp();
    expect(sequences(await received.next())).toEqual([3]);

    socket.send(JSON.stringify({ type: 'ack', sequence: 3 }));
    for (let i = 0; ; i++) {
      const open = await platform.db
        .selectFrom('notifications')
        .select('sequence')
        .where('acknowledged_at', 'is', null)
        .execute();
      if (open.length === 0) break;
      if (i > 100) throw new Error('ack not recorded');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    socket.terminate();
  });

  it('refuses an unsigned handshake (401) and another wallet’s socket (403)', async () => {
    const platform = await testPlatform(await databases.fresh());
    await sql`select setval('certificate_serials', 1000000)`.execute(platform.db);
    const mine = await insertWallet(platform.db);
    const other = await insertWallet(platform.db);
    const target = `/v1/wallets/${mine.walletIdHex}/notifications/socket`;
    await expect(platform.app.injectWS(target)).rejects.toThrow(/401/);
    await expect(openNoticeSocket(platform, other, mine.walletIdHex)).rejects.toThrow(/403/);
  });
});
