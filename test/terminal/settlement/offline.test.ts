/**
 * Days offline: the platform unreachable for three days, a period cut each day (on the
 * schedule, or all at once when the terminal was off), the deadline passing, then every
 * batch uploaded in order when the platform is back.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { backends } from '../../platform/support/databases';
import { startSettleRig, type SettleRig } from '../support/settle-rig';
import { settlementFor } from '../support/settlement';

const DAY = 86_400;
const WITHIN = 6 * 3_600;

describe.each(backends())('days offline on %s', (backend) => {
  let rig: SettleRig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  it('cuts one batch per day while the platform is down, then catches up in order', async () => {
    rig = await startSettleRig(backend, { periodSeconds: DAY, uploadWithinSeconds: WITHIN });
    const current = rig;
    const { service, progress } = settlementFor(current, { backoff: { maxAttempts: 2 } });
    const alice = await current.activatedPhone('alice');
    const bob = await current.activatedPhone('bob');
    const before = await current.merchantBalance();
    await current.stopPlatform();

    // Day 1: paid, cut at the day's end by the schedule, upload fails (network).
    const day1 = Math.floor(current.clock.now() / DAY) * DAY;
    current.clock.set(day1 + 10 * 3_600);
    await current.pay(alice, 100);
    current.clock.set(day1 + DAY + 60);
    const [first] = service.runSchedule();
    expect(first).toMatchObject({ periodStart: day1, periodEnd: day1 + DAY - 1, total: 100 });
    expect(await service.upload()).toMatchObject({ state: 'failed', code: 'network', pending: 1 });
    expect(service.status().deadline).toEqual({
      at: day1 + DAY - 1 + WITHIN,
      secondsLeft: day1 + DAY - 1 + WITHIN - current.clock.now(),
      batchId: first!.batchId,
    });

    // Days 2 and 3 with the terminal switched off at night: both cut at once on day 4.
    current.clock.set(day1 + DAY + 9 * 3_600);
    await current.pay(bob, 200);
    current.clock.set(day1 + 2 * DAY + 11 * 3_600);
    await current.pay(alice, 300);
    await current.pay(bob, 50);
    current.clock.set(day1 + 3 * DAY + 8 * 3_600);
    const caughtUp = service.runSchedule();
    expect(caughtUp.map((b) => [b.seq, b.periodStart, b.total])).toEqual([
      [2, day1 + DAY, 200],
      [3, day1 + 2 * DAY, 350],
    ]);

    // The first day's deadline is long gone: its payment is at the terminal's risk.
    const late = service.status();
    expect(late.deadline.batchId).toBe(first!.batchId);
    expect(late.deadline.secondsLeft).toBeLessThan(0);
    expect(late.stale).toMatchObject({ count: 2, amount: 300 }); // days 1 and 2
    expect(late.pending.map((b) => b.seq)).toEqual([1, 2, 3]);

    await current.startPlatform();
    expect(await service.upload()).toMatchObject({ state: 'done', acknowledged: 3, pending: 0 });
    expect(
      progress()
        .filter((p) => p.state === 'acknowledged')
        .map((p) => p.seq),
    ).toEqual([1, 2, 3]);
    expect(await current.merchantBalance()).toBe(before + 650);
    expect(service.status()).toMatchObject({ pending: [], stale: { count: 0 } });
    expect(service.batches().map((b) => [b.seq, b.state])).toEqual([
      [3, 'acknowledged'],
      [2, 'acknowledged'],
      [1, 'acknowledged'],
    ]);
  });
});
