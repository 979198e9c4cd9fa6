/**
 * The panel's actions for S1, S9, S10 and S12, through the launched demo terminal's contract
 * (dispatchApiCall, as a transport calls it): a phone added and activated through the
 * platform's API, kept across a restart; an unlock with wrong details refused and then
 * rate-limited; a settled sale confirmed to the phone; a cloned wallet spent at the second
 * terminal, flagged at the main terminal's settlement, revoked and then declined.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchTerminal, type LaunchedTerminal } from '../../main/demo/launch';
import { WALLET_LOAD } from '../../main/demo/phones';
import { startEmbeddedPlatform } from '../../platform/embedded';
import type { DemoNote, DemoPhoneView, DemoView } from '../../preload/contract';
import { operatorClient } from '../scenarios/support/rig';
import { drive, type Driven } from '../terminal/e2e/support';

const appDataDir = mkdtempSync(join(tmpdir(), 'tapsafe-demo-scenarios-'));
let launched: LaunchedTerminal;
let api: Driven;

const launch = async () => {
  launched = await launchTerminal({
    appDataDir,
    version: '1.0.0-test',
    transport: 'websocket',
    pcsc: false,
  });
  api = drive(launched.current());
};

beforeAll(launch, 120_000);
afterAll(async () => {
  expect(api.internalErrors).toEqual([]);
  await launched.close();
  rmSync(appDataDir, { recursive: true, force: true });
});

const phone = (view: DemoView, label: string): DemoPhoneView => {
  const found = view.phones.find((p) => p.label === label);
  if (found === undefined) throw new Error(`no ${label} in the demo`);
  return found;
};
type Action = 'tap' | 'sync' | 'unlock_wrong' | 'clone_spend' | 'power_off' | 'power_on';
const act = async (label: string, action: Action) => {
  const { phoneId } = phone(await api.call('demo.state'), label);
  return api.call('demo.action', { phoneId, action });
};
/** The notes added by `work`. */
const notesOf = async (work: () => Promise<DemoView>): Promise<DemoNote[]> => {
  const before = (await api.call('demo.state')).notes?.at(-1)?.id ?? 0;
  return ((await work()).notes ?? []).filter((n) => n.id > before);
};
const sell = (amount: number, label: string) => api.sell(amount, () => act(label, 'tap'));

describe('S1: a phone added from the panel', () => {
  it('is activated through the platform: identity, active wallet, e-cash loaded', async () => {
    const notes = await notesOf(() => api.call('demo.addPhone', { label: 'Ivy' }));
    const ivy = phone(await api.call('demo.state'), 'Ivy');
    expect(ivy).toMatchObject({ walletState: 'active', balance: WALLET_LOAD, counter: 0 });
    expect(ivy.imei).toMatch(/^\d{15}$/);
    expect(ivy.walletId).toMatch(/^[0-9a-f]+$/);
    expect(notes).toEqual([
      expect.objectContaining({
        key: 'phone_activated',
        phone: 'Ivy',
        values: expect.objectContaining({
          amount: WALLET_LOAD,
          value: `IMEI ${ivy.imei}, IMSI ${ivy.imsi}`,
        }) as unknown,
      }),
    ]);
  });

  it('refuses a name already taken, and a blank one, with typed errors', async () => {
    expect(await api.refusal('demo.addPhone', { label: 'Ivy' })).toMatchObject({
      code: 'refused',
      reason: 'label_taken',
    });
    expect(await api.refusal('demo.addPhone', { label: '  ' })).toMatchObject({
      code: 'invalid_params',
    });
  });
});

describe('S9: an unlock with wrong registration details', () => {
  it('is refused five times, then rate-limited; the wallet is not unlocked', async () => {
    const refusals: DemoNote[] = [];
    for (let i = 0; i < 5; i++) refusals.push(...(await notesOf(() => act('Bo', 'unlock_wrong'))));
    expect(refusals.map((n) => n.key)).toEqual(Array(5).fill('unlock_refused'));
    const [limited] = await notesOf(() => act('Bo', 'unlock_wrong'));
    expect(limited).toMatchObject({ key: 'unlock_rate_limited', phone: 'Bo' });
    expect(limited?.values['seconds']).toBeGreaterThan(0);
    expect(phone(await api.call('demo.state'), 'Bo').walletState).toBe('active');
  });

  it('needs the phone switched on, as any unlock does: a typed refusal, no note', async () => {
    await act('Bo', 'power_off');
    const before = (await api.call('demo.state')).notes?.at(-1)?.id;
    const { phoneId } = phone(await api.call('demo.state'), 'Bo');
    expect(await api.refusal('demo.action', { phoneId, action: 'unlock_wrong' })).toMatchObject({
      code: 'refused',
      reason: 'phone_off',
    });
    expect((await api.call('demo.state')).notes?.at(-1)?.id).toBe(before);
    await act('Bo', 'power_on');
  });
});

describe('S10: settlement', () => {
  it('credits the merchant; the phone’s sync shows the balance the platform settled', async () => {
    expect(await sell(500, 'Alice')).toMatchObject({ state: 'approved' });
    const batch = await api.call('settlement.close');
    await api.call('settlement.upload');
    const result = await api.call('settlement.result', { batchId: batch?.batchId ?? '' });
    expect(result.discrepancies).toEqual([]);
    expect(result.batch.totalCredited).toBe(500);
    const notes = await notesOf(() => act('Alice', 'sync'));
    const alice = phone(await api.call('demo.state'), 'Alice');
    expect(alice).toMatchObject({ balance: WALLET_LOAD - 500, platformBalance: WALLET_LOAD - 500 });
    expect(notes).toContainEqual(
      expect.objectContaining({
        key: 'platform_confirmed',
        values: expect.objectContaining({ amount: WALLET_LOAD - 500, value: 'active' }) as unknown,
      }),
    );
  });
});

describe('S12: a cloned wallet', () => {
  it('is refused with a typed error while the platform is offline, and leaves no copy behind', async () => {
    const before = phone(await api.call('demo.state'), 'Chen');
    await api.call('demo.platform', { online: false });
    try {
      const refusal = await api.refusal('demo.action', {
        phoneId: before.phoneId,
        action: 'clone_spend',
      });
      expect(refusal.code).toBe('refused');
      expect(refusal.message).not.toMatch(/at .+\.ts:\d+/); // no stack trace
    } finally {
      await api.call('demo.platform', { online: true });
    }
    const clones = join(appDataDir, 'demo', 'clones');
    expect(existsSync(clones) ? readdirSync(clones) : []).toEqual([]);
    expect(phone(await api.call('demo.state'), 'Chen')).toMatchObject({
      balance: before.balance,
      counter: before.counter,
    });
  });

  it('spends at terminal 2, then the original here: flagged, revoked, declined', async () => {
    const notes = await notesOf(() => act('Chen', 'clone_spend'));
    expect(notes.map((n) => n.key)).toEqual(['clone_made', 'clone_paid', 'terminal2_settled']);
    expect(notes[1]?.values).toMatchObject({ amount: 2_000, value: 'DEMO-T2' });
    expect(notes[2]?.values).toMatchObject({ value: 'DEMO-T2', accepted: 1 });
    const chen = phone(await api.call('demo.state'), 'Chen');
    expect(chen).toMatchObject({ balance: WALLET_LOAD, counter: 0 }); // the original is untouched

    const here = await sell(1_500, 'Chen');
    expect(here).toMatchObject({ state: 'approved', payment: { counter: 1 } });
    const batch = await api.call('settlement.close');
    await api.call('settlement.upload');
    const result = await api.call('settlement.result', { batchId: batch?.batchId ?? '' });
    const flagged = result.entries.find((e) => e.walletId === chen.walletId);
    expect(flagged).toMatchObject({ kind: 'record', counter: 1, status: 'double_spend' });
    expect(result.discrepancies).toContainEqual(flagged);

    await api.call('sync.now');
    const after = await sell(100, 'Chen');
    expect(after).toMatchObject({ state: 'declined' });
    expect(after.decline?.code).toBe('revoked');
  });
});

describe('after a restart', () => {
  it('still has the phone added from the panel; the platform kept the audit and the revocation', async () => {
    const before = phone(await api.call('demo.state'), 'Ivy');
    const bo = phone(await api.call('demo.state'), 'Bo');
    const chen = phone(await api.call('demo.state'), 'Chen');
    await launched.close();
    // The demo's platform, opened on its folder while the demo is down.
    const platform = await startEmbeddedPlatform({ dataDir: join(appDataDir, 'demo', 'platform') });
    try {
      const denied = await platform.platform.app.platform.db
        .selectFrom('audit_log')
        .select(['outcome'])
        .where('action', '=', 'wallet.unlock')
        .where('subject', '=', `wallet:${bo.walletId}`)
        .execute();
      expect(denied.map((row) => row.outcome)).toEqual(Array(5).fill('denied'));
      // S12: revoked for double spending; what the original spent offline (1,500) is within
      // the wallet's offline limits, the most a clone's twin can take before settlement.
      const operator = operatorClient(platform.url, await platform.createOperatorToken('test'));
      const { body: wallet } = await operator<{
        status: string;
        revokeReason: string | null;
        limits: { perPayment: number; offlineAmount: number };
      }>('GET', `/v1/wallets/${chen.walletId}`);
      expect(wallet).toMatchObject({ status: 'revoked', revokeReason: 'double_spend' });
      expect(1_500).toBeLessThanOrEqual(
        Math.min(wallet.limits.perPayment, wallet.limits.offlineAmount),
      );
    } finally {
      await platform.close();
    }
    await launch();
    expect(phone(await api.call('demo.state'), 'Ivy')).toMatchObject({
      walletId: before.walletId,
      imei: before.imei,
      walletState: 'active',
      balance: WALLET_LOAD,
    });
  });
});
