/**
 * The demo's forged cards (main/demo/forgeries) through the composed terminal: each one
 * put on the demo reader by `demo.forgedTap` during a real sale must be declined by the
 * real checkout with the code it was made for, charging nothing, and the honest phone
 * behind it must still pay afterwards. Bad requests are typed demo errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../handset';
import { startDemo, type Demo } from '../../main/demo';
import { FORGERIES } from '../../main/demo/forgeries';
import { demoControls } from '../../main/demo/launch';
import { createTerminal, type Terminal } from '../../main/terminal';
import { EmulatedReaderDriver } from '../../main/terminal/reader/emulated';
import { DEMO_FORGERIES, type DemoForgery } from '../../preload/contract';
import { drive, removeTempDirs, tempDir, type Driven } from '../terminal/e2e/support';

let demo: Demo;
let terminal: Terminal;
let api: Driven;

beforeAll(async () => {
  const dataDir = tempDir('forgeries');
  demo = await startDemo({ dataDir, clock: new SimulatedClock(), phoneCount: 3 });
  terminal = createTerminal({
    dataDir: `${dataDir}/terminal`,
    clock: demo.clock,
    drivers: [new EmulatedReaderDriver([demo.field])],
    demo: demoControls(demo),
    pcsc: { available: false, notice: null },
    version: '0.0.0-forgeries',
    transport: 'websocket',
  });
  api = drive(terminal);
  await terminal.start();
  await api.call('enrollment.enroll', await demo.enrollmentCode());
  expect(await api.call('sync.now')).toMatchObject({ canTakePayments: true });
  // The replaying forgery needs a payment of phone-1 to replay.
  const paid = await api.sell(300, () =>
    api.call('demo.action', { phoneId: 'phone-1', action: 'tap' }),
  );
  expect(paid).toMatchObject({ state: 'approved' });
}, 120_000);

afterAll(async () => {
  expect(api?.internalErrors ?? []).toEqual([]);
  await terminal?.close();
  await demo?.close();
  removeTempDirs();
});

const counterOf = (phoneId: string) =>
  demo.view().phones.find((p) => p.phoneId === phoneId)?.counter;

describe('demo.forgedTap', () => {
  it('has one definition per forgery of the contract', () => {
    expect(Object.keys(FORGERIES).sort()).toEqual([...DEMO_FORGERIES].sort());
  });

  it.each(DEMO_FORGERIES.map((forgery) => [forgery, FORGERIES[forgery].decline] as const))(
    '%s is declined %s by the real checkout',
    async (forgery: DemoForgery, code) => {
      const outcome = await api.sell(250, () =>
        api.call('demo.forgedTap', { phoneId: 'phone-1', forgery }),
      );
      expect(outcome).toMatchObject({ state: 'declined', payment: null, decline: { code } });
    },
  );

  it('leaves the honest phone able to pay', async () => {
    const before = counterOf('phone-1') ?? 0;
    const paid = await api.sell(100, () =>
      api.call('demo.action', { phoneId: 'phone-1', action: 'tap' }),
    );
    expect(paid).toMatchObject({ state: 'approved', payment: { amount: 100 } });
    expect(counterOf('phone-1')).toBe(before + 1);
  });

  it('refuses bad requests with typed errors', async () => {
    expect(
      await api.refusal('demo.forgedTap', { forgery: 'no_such' as DemoForgery }),
    ).toMatchObject({ code: 'invalid_params', field: 'forgery' });
    expect(
      await api.refusal('demo.forgedTap', { phoneId: 'phone-9', forgery: 'record_flipped' }),
    ).toMatchObject({ code: 'refused', reason: 'unknown_phone' });
    expect(
      await api.refusal('demo.forgedTap', { phoneId: 'phone-2', forgery: 'echo_previous_sale' }),
    ).toMatchObject({ code: 'refused', reason: 'forgery_needs_payment' });
    await api.call('demo.action', { phoneId: 'phone-3', action: 'power_off' });
    expect(
      await api.refusal('demo.forgedTap', { phoneId: 'phone-3', forgery: 'record_flipped' }),
    ).toMatchObject({ code: 'refused', reason: 'not_activated' });
    await api.call('demo.action', { phoneId: 'phone-2', action: 'power_off' });
    expect(
      await api.refusal('demo.forgedTap', {
        phoneId: 'phone-1',
        forgery: 'other_wallet_certificate',
      }),
    ).toMatchObject({ code: 'refused', reason: 'forgery_needs_phone' });
  });
});
