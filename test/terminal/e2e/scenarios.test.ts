/**
 * SCENARIOS.md S1–S11 and S13 end to end on the emulated reader: the demo world (embedded
 * platform on PGlite, real phones on a SimulatedClock) and the composed terminal
 * (createTerminal), driven only through the terminal's contract as a transport drives it and
 * through the demo panel's own methods. One world for the file, one phone per story; the
 * stories that move the clock run last. S12 needs a second terminal: rig-scenarios.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../../handset';
import { startDemo, type Demo } from '../../../main/demo';
import { demoControls } from '../../../main/demo/launch';
import { WALLET_LOAD } from '../../../main/demo/phones';
import { HOLD_WINDOW_SECONDS } from '../../../platform/migration/migrate';
import { createTerminal, type Terminal } from '../../../main/terminal';
import { EmulatedReaderDriver } from '../../../main/terminal/reader/emulated';
import type { CheckoutView, DemoAction, DemoPhoneView } from '../../../preload/contract';
import { drive, removeTempDirs, tempDir, type Driven } from './support';

let demo: Demo;
let terminal: Terminal;
let api: Driven;

beforeAll(async () => {
  const dataDir = tempDir('demo');
  demo = await startDemo({ dataDir, clock: new SimulatedClock(), phoneCount: 8 });
  terminal = createTerminal({
    dataDir: `${dataDir}/terminal`,
    clock: demo.clock,
    drivers: [new EmulatedReaderDriver([demo.field])],
    demo: demoControls(demo),
    pcsc: { available: false, notice: null },
    version: '0.0.0-e2e',
    transport: 'websocket',
  });
  api = drive(terminal);
  await terminal.start();
  const enrolled = await api.call('enrollment.enroll', await demo.enrollmentCode());
  expect(enrolled).toMatchObject({ mode: 'demo', merchantId: 'DEMO-MERCHANT' });
  expect(await api.call('sync.now')).toMatchObject({ canTakePayments: true });
}, 120_000);

afterAll(async () => {
  expect(api?.internalErrors ?? []).toEqual([]);
  await terminal?.close();
  await demo?.close();
  removeTempDirs();
});

const act = (phoneId: string, action: DemoAction, amount?: number) =>
  api.call('demo.action', { phoneId, action, ...(amount === undefined ? {} : { amount }) });

async function phone(phoneId: string): Promise<DemoPhoneView> {
  const found = (await api.call('demo.state')).phones.find((p) => p.phoneId === phoneId);
  if (found === undefined) throw new Error(`no ${phoneId} in demo.state`);
  return found;
}

/** A sale paid (or refused) by `phoneId` tapping; the phone is taken off the reader after. */
async function sale(phoneId: string, amount: number): Promise<CheckoutView> {
  const outcome = await api.sell(amount, () => act(phoneId, 'tap'));
  if ((await phone(phoneId)).onReader) await act(phoneId, 'pull_away');
  return outcome;
}

async function approvedCount(walletId: string | null): Promise<number> {
  const page = await api.call('payments.list', { walletId: walletId ?? undefined });
  return page.total;
}

describe('before the clock moves', () => {
  it('S1: every demo phone is activated and loaded; the terminal is enrolled and synced', async () => {
    const { phones } = await api.call('demo.state');
    expect(phones).toHaveLength(8);
    for (const p of phones) {
      expect(p).toMatchObject({ walletState: 'active', balance: WALLET_LOAD, counter: 0 });
      expect(p.walletId).toMatch(/^[0-9a-f]{32}$/);
    }
    expect(new Set(phones.map((p) => p.walletId)).size).toBe(8);
    expect(await api.call('app.info')).toMatchObject({ mode: 'demo', terminalId: 'DEMO-T1' });
    const sync = await api.call('sync.status');
    expect(sync).toMatchObject({ canTakePayments: true, notReadyReason: null });
    expect(sync.parameters?.currency).toBe(phones[0]?.currency);
  });

  it('S2: an offline payment is verified, recorded, listed, and both balances agree', async () => {
    const outcome = await sale('phone-1', 1_250);
    expect(outcome).toMatchObject({
      state: 'approved',
      decline: null,
      payment: { amount: 1_250, counter: 1, status: 'approved', offline: true },
    });
    expect(outcome.steps.length).toBeGreaterThan(0);
    expect(outcome.steps.every((s) => s.ok)).toBe(true);
    const shown = await phone('phone-1');
    expect(shown).toMatchObject({ balance: WALLET_LOAD - 1_250, counter: 1 });
    expect(shown.log).toEqual([
      expect.objectContaining({ counter: 1, amount: 1_250, terminalId: 'DEMO-T1' }),
    ]);
    expect(outcome.payment?.balanceAfter).toBe(shown.balance);
    expect(outcome.payment?.walletId).toBe(shown.walletId);
    const listed = await api.call('payments.list', { walletId: shown.walletId ?? undefined });
    expect(listed.payments).toEqual([outcome.payment]);
    const detail = await api.call('payments.get', { paymentId: outcome.payment?.paymentId ?? 0 });
    expect(detail).toMatchObject({ merchantId: 'DEMO-MERCHANT', terminalId: 'DEMO-T1' });
    // The checks behind the approval are kept with the payment, in the order made.
    expect(detail.steps.map((step) => step.ok)).not.toContain(false);
    expect(detail.steps.map((step) => step.check)).toEqual(outcome.steps.map((step) => step.check));
    expect(detail.steps.length).toBeGreaterThan(5);
  });

  it('S3: a swapped SIM locks the wallet: declined wallet_locked, nothing charged; unlocked, it pays', async () => {
    await act('phone-3', 'swap_sim');
    expect((await phone('phone-3')).walletState).toBe('locked');
    const declined = await sale('phone-3', 500);
    expect(declined).toMatchObject({
      state: 'declined',
      payment: null,
      decline: { code: 'wallet_locked', action: 'customer_unlock' },
    });
    expect((await phone('phone-3')).counter).toBe(0);
    expect(await approvedCount((await phone('phone-3')).walletId)).toBe(0);

    await act('phone-3', 'swap_sim'); // the own SIM back
    await act('phone-3', 'unlock');
    expect(await phone('phone-3')).toMatchObject({ walletState: 'active', balance: WALLET_LOAD });
    expect(await sale('phone-3', 500)).toMatchObject({
      state: 'approved',
      payment: { counter: 1 },
    });
    expect((await phone('phone-3')).balance).toBe(WALLET_LOAD - 500);
  });

  it('S5: a lost phone is hotlisted, declined revoked at the tap and handed its notice', async () => {
    // Out of signal: the platform cannot reach it; only a terminal it taps can.
    await act('phone-5', 'signal_off');
    const entriesBefore = (await api.call('sync.status')).hotlist.entries;
    await act('phone-5', 'report_lost');
    expect((await phone('phone-5')).walletState).toBe('active');
    const synced = await api.call('sync.now');
    expect(synced.hotlist.entries).toBe(entriesBefore + 1);

    const declined = await sale('phone-5', 300);
    expect(declined).toMatchObject({
      state: 'declined',
      payment: null,
      decline: { code: 'revoked', action: 'other_payment' },
    });
    const hotlist = declined.steps.find((s) => s.check === 'not on the hotlist');
    expect(hotlist).toMatchObject({ ok: false });
    expect(hotlist?.detail).toMatch(/delivered \d+ notice/);
    const after = await phone('phone-5');
    // The hotlist carries the lost report's wipe notice; DELIVER handed it over.
    expect(after.walletState).toBe('wiped');
    expect(after.counter).toBe(0);
    expect(await approvedCount(after.walletId)).toBe(0);
  });

  it('S6: re-activated on a new phone after re-verification; the old phone erases itself and is refused', async () => {
    const old = await phone('phone-6');
    const view = await act('phone-6', 'reactivate');
    const added = view.phones.at(-1) as DemoPhoneView;
    expect(added).toMatchObject({ phoneId: 'phone-9', walletState: 'active' });
    expect(added.label).toContain('new phone');
    expect(added.walletId).not.toBe(old.walletId);
    // The unspent e-cash is held on the platform until the old phone's late payments are in.
    expect(added.balance).toBeLessThan(WALLET_LOAD);
    await expect.poll(async () => (await phone('phone-6')).walletState).toBe('wiped');

    await api.call('sync.now');
    expect((await sale('phone-6', 400)).state).toBe('declined');
    expect(await approvedCount(old.walletId)).toBe(0);
  });

  it('S11: a torn tap is completed by the next tap: one payment, one debit', async () => {
    const started = await api.call('checkout.start', { amount: 700 });
    await act('phone-2', 'tear_next');
    const torn = await api.until(started.saleId, ['torn', 'approved', 'declined']);
    expect(torn.state).toBe('torn');
    // The phone signed and left: debited once, the answer never read.
    expect(await phone('phone-2')).toMatchObject({
      onReader: false,
      counter: 1,
      balance: WALLET_LOAD - 700,
    });
    const seen = api.history(started.saleId).length;
    await act('phone-2', 'tap');
    const done = await api.until(started.saleId, ['approved', 'declined'], seen);
    await act('phone-2', 'pull_away');
    expect(done).toMatchObject({ state: 'approved', payment: { amount: 700, counter: 1 } });
    expect(done.steps.find((s) => s.check === 'earlier unanswered request resolved')).toMatchObject(
      { ok: true },
    );
    expect(await phone('phone-2')).toMatchObject({ counter: 1, balance: WALLET_LOAD - 700 });
    const listed = await api.call('payments.list', {
      walletId: (await phone('phone-2')).walletId ?? undefined,
    });
    expect(listed.payments.map((p) => [p.counter, p.amount])).toEqual([[1, 700]]);
  });

  it('S10: the period is closed and uploaded; every record accepted and credited; the phone hears', async () => {
    const status = await api.call('settlement.status');
    // S2, S3 and S11 paid this period.
    expect(status.openPeriod).toMatchObject({ count: 3, total: 1_250 + 500 + 700 });
    const batch = await api.call('settlement.close');
    expect(batch).toMatchObject({ state: 'cut', recordCount: status.openPeriod.count });
    const uploaded = await api.call('settlement.upload');
    expect(uploaded).toMatchObject({ pending: [], uploading: false });
    const result = await api.call('settlement.result', { batchId: batch?.batchId ?? '' });
    expect(result.batch.state).toBe('acknowledged');
    expect(result.discrepancies).toEqual([]);
    expect(result.entries).toHaveLength(status.openPeriod.count);
    expect(result.entries.every((e) => e.status === 'accepted')).toBe(true);
    expect(result.totalCredited).toBe(status.openPeriod.total);
    expect(result.expectedCredit).toBe(status.openPeriod.total);
    const s2 = (await phone('phone-1')).walletId;
    expect(result.entries).toContainEqual(
      expect.objectContaining({ kind: 'record', walletId: s2, amount: 1_250 }),
    );
    const settled = await api.call('payments.list', { walletId: s2 ?? undefined });
    expect(settled.payments.map((p) => p.status)).toEqual(['settled']);
    const paymentId = settled.payments[0]?.paymentId ?? 0;
    expect(await api.call('payments.get', { paymentId })).toMatchObject({
      status: 'settled',
      batchId: batch?.batchId,
      settlement: { status: 'accepted' },
    });
    expect(await api.refusal('payments.void', { paymentId })).toMatchObject({
      code: 'refused',
      reason: 'already_settled',
    });
    // Closing the period made its Z report.
    expect((await api.call('reports.zList')).at(-1)).toMatchObject({
      kind: 'Z',
      count: status.openPeriod.count,
      gross: status.openPeriod.total,
    });

    // The platform updated the user's e-cash; the phone learns it at its next sync.
    await act('phone-1', 'sync');
    expect(await phone('phone-1')).toMatchObject({
      walletState: 'active',
      balance: WALLET_LOAD - 1_250,
    });
  });

  it('S13: a voided payment is refunded to the user at settlement', async () => {
    const paid = await sale('phone-1', 800);
    expect(paid.state).toBe('approved');
    expect((await phone('phone-1')).balance).toBe(WALLET_LOAD - 1_250 - 800);
    const voided = await api.call('payments.void', { paymentId: paid.payment?.paymentId ?? 0 });
    expect(voided).toMatchObject({ status: 'voided', amount: 800 });
    expect(
      await api.refusal('payments.void', { paymentId: paid.payment?.paymentId ?? 0 }),
    ).toMatchObject({ code: 'refused' });

    const batch = await api.call('settlement.close');
    expect(batch).toMatchObject({ recordCount: 1, voidCount: 1, voidTotal: 800 });
    await api.call('settlement.upload');
    const result = await api.call('settlement.result', { batchId: batch?.batchId ?? '' });
    expect(result.batch.state).toBe('acknowledged');
    expect(result.entries).toEqual([
      expect.objectContaining({ kind: 'record', amount: 800, status: 'accepted' }),
      expect.objectContaining({ kind: 'void', amount: 800, status: 'accepted' }),
    ]);
    expect(result.discrepancies).toEqual([]);
    expect(result.totalCredited).toBe(0);

    await act('phone-1', 'sync');
    expect((await phone('phone-1')).balance).toBe(WALLET_LOAD - 1_250);
  });
});

describe('as time passes', () => {
  it('S6: past the hold window the unspent e-cash reaches the new phone, which pays with it', async () => {
    const { phones } = await api.call('demo.state');
    const held = phones.find((p) => p.phoneId === 'phone-9');
    await api.call('demo.timeTravel', { seconds: HOLD_WINDOW_SECONDS });
    await act('phone-9', 'sync');
    expect(await phone('phone-9')).toMatchObject({ walletState: 'active', balance: WALLET_LOAD });
    expect(held?.balance).toBeLessThan(WALLET_LOAD);
    const paid = await sale('phone-9', 400);
    expect(paid).toMatchObject({ state: 'approved', payment: { walletId: held?.walletId } });
    expect((await phone('phone-9')).balance).toBe(WALLET_LOAD - 400);
  });

  it('S7: powered off longer than T1 → temp-locked and declined; S9: unlocked after re-verification, it pays', async () => {
    const { timers: t } = await api.call('demo.state');
    // S4's phone is locked from now on, S8's phone goes out of signal: both need the travel.
    await act('phone-4', 'swap_device');
    expect(await sale('phone-4', 200)).toMatchObject({
      state: 'declined',
      decline: { code: 'wallet_locked' },
    });
    await act('phone-8', 'signal_off');
    await act('phone-7', 'power_off');
    await api.call('demo.timeTravel', { seconds: t.T1 + 1 });
    // The terminal kept syncing through the travel, as the online phones did.
    expect(await api.call('sync.status')).toMatchObject({ canTakePayments: true });
    await act('phone-7', 'power_on');
    expect((await phone('phone-7')).walletState).toBe('temp_locked_power');
    const declined = await sale('phone-7', 200);
    expect(declined).toMatchObject({
      state: 'declined',
      decline: { code: 'wallet_temp_locked' },
    });
    expect((await phone('phone-7')).counter).toBe(0);

    await act('phone-7', 'unlock');
    expect((await phone('phone-7')).walletState).toBe('active');
    expect(await sale('phone-7', 200)).toMatchObject({
      state: 'approved',
      payment: { counter: 1 },
    });
  });

  it('S8: no network longer than T2 → temp-locked and refused; after signal and unlock it pays. S4: locked longer than T → wiped', async () => {
    const { timers: t } = await api.call('demo.state');
    await api.call('demo.timeTravel', { seconds: Math.max(t.T, t.T2) });
    expect((await phone('phone-8')).walletState).toBe('temp_locked_network');
    const declined = await sale('phone-8', 200);
    // The wallet says it is temp-locked before its stale token is even read.
    expect(declined).toMatchObject({ state: 'declined', decline: { code: 'wallet_temp_locked' } });
    expect((await phone('phone-8')).counter).toBe(0);

    expect(
      await api.refusal('demo.action', { phoneId: 'phone-8', action: 'unlock' }),
    ).toMatchObject({ code: 'refused', reason: 'no_signal' });
    await act('phone-8', 'signal_on');
    await act('phone-8', 'unlock');
    expect(await sale('phone-8', 200)).toMatchObject({
      state: 'approved',
      payment: { counter: 1 },
    });

    // S4: the device swap of the first travel has now lasted longer than T.
    expect((await phone('phone-4')).walletState).toBe('wiped');
    expect(await sale('phone-4', 200)).toMatchObject({
      state: 'declined',
      decline: { code: 'wallet_wiped' },
    });
  });
});
