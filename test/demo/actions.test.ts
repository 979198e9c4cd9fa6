/**
 * The demo panel's actions on real phones, a real platform (PGlite) and the demo's reader
 * field, each showing what SCENARIOS.md says: a tap and a payment (S2), a torn tap (S11),
 * SIM and handset swaps (S3) and the wipe after T (S4), a lost report (S5), re-activation
 * (S6), power off beyond T1 (S7), no signal beyond T2 (S8), an operator top-up. One demo
 * for the file, one phone per story; the time-travel stories run last.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CardRemovedError, SimulatedClock } from '../../handset';
import { startDemo, type Demo } from '../../main/demo';
import { WALLET_LOAD } from '../../main/demo/phones';
import { DEFAULT_WALLET_POLICY } from '../../platform/activation/policy';
import { HOLD_WINDOW_SECONDS } from '../../platform/migration/migrate';
import type { DemoPhoneView } from '../../preload/contract';
import { Hotlist, SW } from '../../protocol';
import { TestTerminal } from '../handset/support/terminal';
import {
  enroll,
  expectDemoError,
  removeTempDirs,
  tempDataDir,
  terminalGet,
  type EnrolledTerminal,
} from './support';

let demo: Demo;
let enrolled: EnrolledTerminal;
let terminal: TestTerminal;

beforeAll(async () => {
  demo = await startDemo({ dataDir: tempDataDir(), clock: new SimulatedClock(), phoneCount: 8 });
  enrolled = await enroll(demo);
  terminal = new TestTerminal(demo.field, demo.clock, {
    key: enrolled.key,
    certificate: enrolled.certificate,
  });
});
afterAll(async () => {
  await demo.close();
  removeTempDirs();
});

function phone(phoneId: string): DemoPhoneView {
  const found = demo.view().phones.find((p) => p.phoneId === phoneId);
  if (found === undefined) throw new Error(`no ${phoneId} in the view`);
  return found;
}

/** The wallet ids on the platform's signed hotlist, as the demo terminal downloads it. */
async function hotlisted(): Promise<string[]> {
  const response = await terminalGet(demo, enrolled, '/v1/hotlist');
  expect(response.status).toBe(200);
  const hotlist = Hotlist.decode(new Uint8Array(await response.arrayBuffer()));
  return hotlist.value.notices.map((n) => Buffer.from(n.value.walletId).toString('hex'));
}

const { T, T1, T2 } = DEFAULT_WALLET_POLICY;

describe('on the reader', () => {
  it('S2: tap puts the phone on the reader field; it pays; pull_away takes it off', async () => {
    const view = await demo.action('phone-1', 'tap');
    expect(view.phones.filter((p) => p.onReader).map((p) => p.phoneId)).toEqual(['phone-1']);
    const paid = await terminal.pay(terminal.request(1_250));
    expect(paid.sw).toBe(SW.ok);
    expect(phone('phone-1')).toMatchObject({
      balance: WALLET_LOAD - 1_250,
      counter: 1,
      log: [{ counter: 1, amount: 1_250, terminalId: 'DEMO-T1' }],
    });
    await demo.action('phone-1', 'pull_away');
    expect(phone('phone-1').onReader).toBe(false);
    await expect(terminal.select()).rejects.toThrow(/no card/);
  });

  it('tap of a phone still on the reader is a new tap (the terminal sees it arrive again)', async () => {
    await demo.action('phone-1', 'tap');
    const arrivals: unknown[] = [];
    const stop = demo.field.on('card-present', (payload) => arrivals.push(payload));
    await demo.action('phone-1', 'tap');
    stop();
    expect(arrivals).toHaveLength(1);
    expect(phone('phone-1').onReader).toBe(true);
    await demo.action('phone-1', 'pull_away');
  });

  it('S11: tear_next lets the phone sign the next PAY and leave; the next tap reads it back', async () => {
    await demo.action('phone-2', 'tear_next');
    await terminal.select();
    const request = terminal.request(700);
    await expect(terminal.pay(request, { select: false })).rejects.toBeInstanceOf(CardRemovedError);
    expect(phone('phone-2')).toMatchObject({
      onReader: false,
      counter: 1,
      balance: WALLET_LOAD - 700,
    });
    await demo.action('phone-2', 'tap');
    await terminal.select();
    const log = await terminal.readLog(4);
    expect(log.records).toHaveLength(1);
    expect(log.records[0]?.value.nonce).toEqual(request.value.nonce);
    await demo.action('phone-2', 'pull_away');
  });
});

describe('the phone itself', () => {
  it('S3: swap_sim locks; unlock needs the own SIM back, then re-verification makes it active', async () => {
    expect((await demo.action('phone-3', 'swap_sim')).phones[2]?.walletState).toBe('locked');
    await expectDemoError(() => demo.action('phone-3', 'unlock'), 'wallet_cannot_sign');
    await demo.action('phone-3', 'swap_sim');
    expect(phone('phone-3')).toMatchObject({ walletState: 'locked', balance: WALLET_LOAD });
    await demo.action('phone-3', 'unlock');
    expect(phone('phone-3').walletState).toBe('active');
  });

  it('S3: swap_device locks the wallet too', async () => {
    const imei = phone('phone-4').imei;
    await demo.action('phone-4', 'swap_device');
    expect(phone('phone-4')).toMatchObject({ walletState: 'locked' });
    expect(phone('phone-4').imei).not.toBe(imei);
  });
});

describe('the operator', () => {
  it('S5: report_lost hotlists the wallet and the online phone erases itself', async () => {
    const walletId = phone('phone-5').walletId;
    await demo.action('phone-5', 'report_lost');
    expect(await hotlisted()).toContain(walletId);
    // Pushed over its WebSocket: no sync needed.
    await expect.poll(() => phone('phone-5').walletState).toBe('wiped');
    await expectDemoError(() => demo.action('phone-5', 'report_lost'), 'platform_refused', {
      platformCode: 'wallet_already_revoked',
      status: 409,
    });
  });

  it('top_up: the balance grows by the amount once the phone has heard (sync)', async () => {
    await demo.action('phone-7', 'top_up', 3_000);
    await demo.action('phone-7', 'sync');
    expect(phone('phone-7').balance).toBe(WALLET_LOAD + 3_000);
    await expectDemoError(() => demo.action('phone-7', 'top_up', 10_000_000), 'platform_refused', {
      platformCode: 'insufficient_funds',
    });
  });

  it('S6: reactivate moves the unspent e-cash to a new phone; the old one erases itself', async () => {
    // Nothing spent offline: the platform's view of the unspent e-cash is the whole load.
    const unspent = WALLET_LOAD;

    const view = await demo.action('phone-6', 'reactivate');
    const added = view.phones.at(-1) as DemoPhoneView;
    expect(added).toMatchObject({ phoneId: 'phone-9', label: 'Fatima (new phone)' });
    expect(added.walletState).toBe('active');
    expect(added.walletId).not.toBe(phone('phone-6').walletId);
    // The risk hold stays on the platform until the old phone's late payments are in.
    expect(added.balance).toBeGreaterThanOrEqual(0);
    expect(added.balance).toBeLessThan(unspent);
    await expect.poll(() => phone('phone-6').walletState).toBe('wiped');
    expect(await hotlisted()).toContain(phone('phone-6').walletId);
    expect(await hotlisted()).not.toContain(added.walletId);
  });
});

describe('time travel', () => {
  it('S7: powered off longer than T1 → temp-locked at power-on; unlock lifts it', async () => {
    await demo.action('phone-8', 'power_off');
    await demo.action('phone-1', 'signal_off');
    const view = await demo.timeTravel(T1 + 1);
    expect(view.clock.offsetSeconds).toBe(T1 + 1);
    expect(phone('phone-8').walletState).toBe('active');
    await demo.action('phone-8', 'power_on');
    expect(phone('phone-8').walletState).toBe('temp_locked_power');
    expect(phone('phone-7').walletState).toBe('active');
    await demo.action('phone-8', 'unlock');
    expect(phone('phone-8').walletState).toBe('active');
  });

  it('S8: no signal longer than T2 → temp-locked; S4: locked longer than T → wiped', async () => {
    expect(phone('phone-1').walletState).toBe('active');
    await demo.timeTravel(Math.max(T, T2));
    expect(phone('phone-1').walletState).toBe('temp_locked_network');
    expect(phone('phone-4').walletState).toBe('wiped');
    // Online all along: synced through the travel, still active and able to pay.
    expect(phone('phone-7').walletState).toBe('active');
    await expectDemoError(() => demo.action('phone-1', 'unlock'), 'no_signal');
    await demo.action('phone-1', 'signal_on');
    await demo.action('phone-1', 'unlock');
    expect(phone('phone-1').walletState).toBe('active');
  });

  it('S6: past the hold window the held e-cash reaches the new phone', async () => {
    await demo.timeTravel(HOLD_WINDOW_SECONDS);
    await expect.poll(() => phone('phone-9').balance).toBe(WALLET_LOAD);
  });
});
