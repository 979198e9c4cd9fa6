/**
 * Balance confirmations after settlement (S10): not signed per batch, but once, when the
 * phone can hear it — pushed at once to a connected phone, else at its next sync.
 */
import { describe, expect, it } from 'vitest';
import { Notification } from '../../protocol';
import { backends, useTestDatabases } from './support/databases';
import { noticesOf, openNoticeSocket } from './support/notice-socket';
import {
  batchOf,
  pay,
  syncRequest,
  uploadRequest,
  useSettlementSetUp,
  type SettlementPlatform,
} from './support/settlement';

describe.each(backends())('balance confirmations on %s', (backend) => {
  const databases = useTestDatabases(backend);
  const setUp = useSettlementSetUp(databases);

  const sync = ({ app, clock, alice }: SettlementPlatform) =>
    app.inject(syncRequest(alice, clock.now(), { lastSequence: 0, counter: 0 }));
  const balanceUpdates = async ({ db, alice }: SettlementPlatform) =>
    db
      .selectFrom('notifications')
      .select('envelope')
      .where('wallet_id', '=', alice.walletId)
      .where('type', '=', 'balance_update')
      .execute();

  it('pushes the confirmation to a connected phone as soon as the batch commits', async () => {
    const platform = await setUp();
    const { app, terminal, alice } = platform;
    const { socket, received } = await openNoticeSocket(platform, alice, alice.walletIdHex);
    try {
      const batch = batchOf(terminal, [pay(alice, terminal, { counter: 1, amount: 700 })]);
      expect((await app.inject(uploadRequest(terminal, batch.encoded))).statusCode).toBe(200);
      const [notice] = noticesOf(await received.next());
      expect(notice).toMatchObject({ notificationType: 'balance_update', balance: 9_300 });
      expect(notice?.amount).toBe(0);
    } finally {
      socket.terminate();
    }
  });

  it('signs one confirmation for several batches, with the balance after all of them', async () => {
    const platform = await setUp();
    const { app, terminal, alice, keys } = platform;
    for (const counter of [1, 2, 3]) {
      const batch = batchOf(terminal, [pay(alice, terminal, { counter, amount: 100 })]);
      expect((await app.inject(uploadRequest(terminal, batch.encoded))).statusCode).toBe(200);
    }
    expect(await balanceUpdates(platform)).toHaveLength(0);
    const answer = (await sync(platform)).json<{ notifications: string[]; balance: number }>();
    expect(answer.balance).toBe(9_700);
    const issuer = await keys.activeIssuer();
    expect(
      answer.notifications.map(
        (n) => Notification.open(Buffer.from(n, 'hex'), issuer.publicKey).value,
      ),
    ).toEqual([expect.objectContaining({ notificationType: 'balance_update', balance: 9_700 })]);
    expect(await balanceUpdates(platform)).toHaveLength(1);
  });

  it('two syncs at once sign the confirmation once', async () => {
    const platform = await setUp();
    const { app, terminal, alice } = platform;
    const batch = batchOf(terminal, [pay(alice, terminal, { counter: 1, amount: 250 })]);
    await app.inject(uploadRequest(terminal, batch.encoded));
    const answers = await Promise.all([sync(platform), sync(platform), sync(platform)]);
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200]);
    expect(await balanceUpdates(platform)).toHaveLength(1);
    // Nothing due any more: a later sync signs nothing new.
    await sync(platform);
    expect(await balanceUpdates(platform)).toHaveLength(1);
  });
});
