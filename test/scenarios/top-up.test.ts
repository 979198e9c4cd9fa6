/** Top-up on the real platform: the signed top_up notice reaches the phone by push and by pull. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, eventually, startRig, type Rig } from './support/rig';

let rig: Rig;
beforeAll(async () => {
  rig = await startRig();
});
afterAll(() => rig.close());

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('top-up', () => {
  it('arrives by WebSocket push while the phone is online, and by pull after a missed push', async () => {
    await rig.addUser('carol', 9_000);
    const carol = rig.newPhone();
    await carol.phone.activate({
      accountId: 'carol',
      password: PASSWORD,
      extra: { amount: '4000' },
    });
    expect(carol.phone.snapshot().wallet.balance).toBe(4_000);
    const walletIdHex = hex(carol.phone.wallet.walletId as Uint8Array);

    const push = carol.push();
    await push.waitConnected();
    const topUp = await rig.operator<{ balance: number; sequence: number }>(
      'POST',
      `/v1/wallets/${walletIdHex}/top-up`,
      { amount: 1_500 },
    );
    expect(topUp).toMatchObject({ status: 200, body: { balance: 5_500, sequence: 1 } });
    await eventually(() => carol.phone.snapshot().wallet.balance === 5_500);
    expect(carol.phone.snapshot().wallet.lastSequence).toBe(1);
    // The phone acknowledged it over the socket: nothing pending any more.
    for (let i = 0; ; i++) {
      const shown = await rig.operator<{ pendingNotices: unknown[] }>(
        'GET',
        `/v1/wallets/${walletIdHex}`,
      );
      if (shown.body.pendingNotices.length === 0) break;
      if (i > 100) throw new Error('the push was never acknowledged');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    // Offline: the push cannot reach it; the next sync pulls it. The wallet itself asks.
    carol.phone.loseSignal();
    expect(push.connected).toBe(false);
    const own = await carol.link.topUp(carol.phone.wallet.walletId as Uint8Array, 500, 'req-0001');
    expect(own).toMatchObject({ balance: 6_000, accountBalance: 3_000, sequence: 2 });
    // A retry with the same request id moves nothing more.
    expect(
      await carol.link.topUp(carol.phone.wallet.walletId as Uint8Array, 500, 'req-0001'),
    ).toMatchObject({ balance: 6_000, accountBalance: 3_000, sequence: null });
    expect(carol.phone.snapshot().wallet.balance).toBe(5_500);
    carol.phone.regainSignal();
    push.stop();
    await carol.phone.sync();
    expect(carol.phone.snapshot().wallet).toMatchObject({ balance: 6_000, lastSequence: 2 });
  });
});
