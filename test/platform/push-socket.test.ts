/** The notification socket: wallet-signed handshake, backlog, push on commit, acks. */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { Notification, signRequest } from '../../protocol';
import { backends, useTestDatabases } from './support/databases';
import { insertWallet, type WalletFixture } from './support/fixtures';
import { testPlatform, type TestPlatform } from './support/platform';
import { callers } from './support/units';
import { activateWallet, registerUser } from './support/wallet-users';

/** Collects frames; `next()` resolves with the next one. */
function frames(socket: WebSocket) {
  const queue: unknown[] = [];
  const waiters: ((frame: unknown) => void)[] = [];
  socket.on('message', (data) => {
    const frame: unknown = JSON.parse((data as Buffer).toString('utf8'));
    const waiter = waiters.shift();
    if (waiter) waiter(frame);
    else queue.push(frame);
  });
  return {
    next: () =>
      queue.length > 0
        ? Promise.resolve(queue.shift())
        : new Promise<unknown>((resolve) => waiters.push(resolve)),
  };
}

const sequences = (frame: unknown) =>
  (frame as { notifications: string[] }).notifications.map(
    (n) => Notification.decode(Buffer.from(n, 'hex')).value.sequence,
  );

describe.each(backends())('notification socket on %s', (backend) => {
  const databases = useTestDatabases(backend);

  function open(platform: TestPlatform, signer: WalletFixture, walletIdHex: string, after = 0) {
    const target = `/v1/wallets/${walletIdHex}/notifications/socket?after=${after}`;
    const headers = signRequest({
      kind: 'wallet',
      callerId: signer.walletIdHex,
      key: signer.key,
      method: 'GET',
      target,
      time: platform.clock.now(),
    });
    let collected: ReturnType<typeof frames> | undefined;
    // Listen from the start: the backlog may arrive before injectWS resolves.
    return platform.app
      .injectWS(target, { headers }, { onInit: (ws) => (collected = frames(ws)) })
      .then((socket) => ({ socket, received: collected as ReturnType<typeof frames> }));
  }

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

    const { socket, received } = await open(platform, wallet, wallet.walletIdHex, 1);
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
    await expect(open(platform, other, mine.walletIdHex)).rejects.toThrow(/403/);
  });
});
