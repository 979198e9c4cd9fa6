/**
 * Online sync (docs/architecture.md): the wallet installs a new freshness token and its
 * offline totals then count only the payments after the token's counter, the highest one
 * the platform has settled. An unlock is such a sync, and a phone that stays online (push
 * connected, as under `handset run`) syncs after it pays and after what settlement pushes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SW, type PaymentRecord, type Signed } from '../../protocol';
import { PushClient } from '../../handset';
import { DEFAULT_WALLET_POLICY } from '../../platform/activation/surface';
import { eventually, PASSWORD, startRig, type Rig, type ScenarioPhone } from './support/rig';
import { settle } from './support/settle';

let rig: Rig;
beforeAll(async () => {
  rig = await startRig();
});
afterAll(() => rig.close());

const activated = () => rig.activatedPhone('online');

async function payTimes(
  { terminal }: ScenarioPhone,
  times: number,
): Promise<Signed<PaymentRecord>[]> {
  const records: Signed<PaymentRecord>[] = [];
  for (let i = 0; i < times; i++) {
    const { sw, record } = await terminal.pay(terminal.request(10));
    expect(sw).toBe(SW.ok);
    records.push(record as Signed<PaymentRecord>);
  }
  return records;
}

describe('an unlock is an online sync', () => {
  it('resets the offline count for the settled payments: the next PAY is not 9F09', async () => {
    const scenario = await activated();
    const { phone, terminal, accountId } = scenario;
    const limit = phone.snapshot().wallet.limits?.offlineCount as number;
    const records = await payTimes(scenario, limit);
    expect((await terminal.pay(terminal.request(10))).sw).toBe(SW.over_offline_count);
    expect(await settle(rig, terminal, records)).toBe(200);

    phone.powerOff();
    rig.clock.advance(DEFAULT_WALLET_POLICY.T1 + 1);
    phone.powerOn();
    expect(phone.snapshot().wallet.state).toBe('temp_locked_power');
    const outcome = await phone.requestUnlock({ accountId, password: PASSWORD });
    expect(outcome.freshnessApplied).toBe(true);
    expect(phone.snapshot().wallet).toMatchObject({ state: 'active', offlineCount: 0 });
    expect((await terminal.pay(terminal.request(10))).sw).toBe(SW.ok);
  });

  it('keeps counting the payments the platform has not settled', async () => {
    const scenario = await activated();
    const { phone, accountId } = scenario;
    await payTimes(scenario, 3);
    const outcome = await phone.requestUnlock({ accountId, password: PASSWORD });
    expect(outcome.freshnessApplied).toBe(true);
    expect(phone.snapshot().wallet.offlineCount).toBe(3);
  });
});

describe('a phone that stays online (handset run)', () => {
  it('syncs after paying, and its offline totals return to 0 once the payments settle', async () => {
    const scenario = await activated();
    const { phone, link, terminal } = scenario;
    const push = new PushClient({
      phone,
      link,
      backoffMs: 50,
      pullIntervalMs: 0,
      syncAfterPaymentMs: 100,
    });
    let synced = 0;
    push.on('synced', () => (synced += 1));
    try {
      push.start();
      await push.waitConnected();
      const records = await payTimes(scenario, 3);
      await eventually(() => synced >= 1);
      expect(phone.snapshot().wallet).toMatchObject({ offlineCount: 3, offlineAmount: 30 });

      expect(await settle(rig, terminal, records)).toBe(200);
      // Settling pushes a balance confirmation; the sync that follows brings the token.
      await eventually(() => phone.snapshot().wallet.offlineCount === 0, 15_000);
      expect(phone.snapshot().wallet.offlineAmount).toBe(0);
      expect((await terminal.pay(terminal.request(10))).sw).toBe(SW.ok);
    } finally {
      push.stop();
    }
  });
});
