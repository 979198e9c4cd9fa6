/**
 * Declines end to end with real phones and the real platform (PGlite, and PostgreSQL when
 * TEST_DATABASE_URL is set): S3/S4 a locked then wiped wallet, S5 a revoked phone handed
 * its lock and wipe notices, S8 a stale freshness token, S12 a clone's record kept as
 * evidence, the terminal's velocity limit, and a genuine record above the terminal's own
 * offline cap stored and voided.
 */
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPhone, HttpPlatformLink } from '../../../handset';
import { useTempDir } from '../../db/support/ledger';
import { backends } from '../../platform/support/databases';
import { startRig, type Rig } from '../../scenarios/support/rig';
import { openTill, type Till } from '../support/till';

const EUR = 978;
const DAY = 86_400;

describe.each(backends())('checkout declines on %s', (backend) => {
  let rig: Rig;
  let till: Till;
  const tempDir = useTempDir('checkout-declines');
  const cleanups: (() => void)[] = [];
  beforeAll(async () => {
    rig = await startRig({ backend });
  });
  afterAll(() => rig.close());
  afterEach(async () => {
    await till.close();
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  /**
   * A till whose hotlist may be up to 30 days old. The platform caches a signed hotlist per
   * version with its first issuedAt, so after a clock jump with no new revocation it keeps
   * serving a list older than the default 24 h (reported as a platform defect).
   */
  async function patientTill(options: Parameters<typeof openTill>[2] = {}): Promise<Till> {
    const opened = await openTill(rig, tempDir(), options);
    opened.setup.parameterOverrides = { hotlistMaxAgeSeconds: 30 * DAY };
    await opened.setup.refresh();
    return opened;
  }

  async function sell(amount: number, card: Parameters<Till['tap']>[0]) {
    const sale = await till.service.start({ amount, currency: EUR });
    till.tap(card);
    return till.service.outcome(sale.saleId);
  }

  it('S3/S4: a locked wallet is declined with its state, and once wiped with that state', async () => {
    till = await patientTill();
    const { phone } = await rig.activatedPhone('s3');
    phone.swapSim('310150999999990');
    expect(await sell(100, phone)).toMatchObject({
      state: 'declined',
      decline: { code: 'wallet_locked', action: 'customer_unlock' },
    });
    const T = phone.snapshot().wallet.params?.T as number;
    rig.clock.advance(T + 1);
    await till.setup.refresh();
    expect(await sell(100, phone)).toMatchObject({
      state: 'declined',
      decline: { code: 'wallet_wiped' },
    });
    expect(till.ledger.pendingRequests()).toEqual([]);
    expect(till.ledger.chainHead().seq).toBe(0);
  });

  it('S5: a revoked phone is handed its wipe notice and declined', async () => {
    till = await patientTill();
    const { phone } = await rig.activatedPhone('s5');
    phone.loseSignal();
    const walletIdHex = Buffer.from(phone.wallet.walletId as Uint8Array).toString('hex');
    const reported = await rig.operator('POST', '/v1/lost-reports', {
      walletId: walletIdHex,
      reason: 'lost',
    });
    expect(reported.status).toBe(200);
    await till.setup.refresh();

    const result = await sell(100, phone);
    expect(result).toMatchObject({ state: 'declined', decline: { code: 'revoked' } });
    const hotlist = result.steps.find((s) => s.step === 'hotlist');
    expect(hotlist).toMatchObject({ ok: false });
    // The hotlist carries the latest notice per wallet: the lost report's wipe.
    expect(hotlist?.detail).toMatch(/delivered 1 notice\(s\) to [0-9a-f]{32}: 9000$/);
    expect(phone.snapshot().wallet.state).toBe('wiped');
    expect(till.ledger.chainHead().seq).toBe(0);
  });

  it('S8: a wallet not synced for longer than T2 is declined freshness_stale until it syncs', async () => {
    till = await patientTill();
    const { phone } = await rig.activatedPhone('s8');
    const maxAge = till.setup.current?.parameters.freshnessMaxAgeSeconds as number;
    rig.clock.advance(maxAge + 1);
    await till.setup.refresh();
    expect(await sell(200, phone)).toMatchObject({
      state: 'declined',
      decline: { code: 'freshness_stale', action: 'customer_sync' },
    });
    expect(phone.snapshot().wallet.counter).toBe(0);
    await phone.sync();
    expect(await sell(200, phone)).toMatchObject({ state: 'approved', payment: { counter: 1 } });
  });

  it("S12: a clone's record with a counter already paid here is declined and kept as evidence", async () => {
    till = await patientTill();
    const original = await rig.activatedPhone('s12');
    const { imei, imsi } = original.phone.snapshot().device.identity;
    const cloneDir = join(tempDir(), 'clone');
    cpSync(original.stateDir, cloneDir, {
      recursive: true,
      filter: (source) => !source.endsWith('phone.lock'),
    });

    expect(await sell(1_000, original.phone)).toMatchObject({
      state: 'approved',
      payment: { counter: 1 },
    });
    const link = new HttpPlatformLink({ baseUrl: rig.platform.url, clock: rig.clock });
    const clone = createPhone({ stateDir: cloneDir, imei, imsi, clock: rig.clock, platform: link });
    link.attach(clone.wallet);
    cleanups.push(() => clone.close());
    expect(clone.snapshot().wallet).toMatchObject({ counter: 0, balance: 10_000 });

    const result = await sell(1_000, clone);
    expect(result).toMatchObject({ state: 'declined', decline: { code: 'replayed_counter' } });
    expect(result.decline?.detail).toContain('evidence');
    const walletId = original.phone.wallet.walletId as Uint8Array;
    expect(till.ledger.evidenceRecords()).toMatchObject([
      { counter: 1, amount: 1_000, reason: 'replayed_counter' },
    ]);
    expect(Buffer.from(till.ledger.evidenceRecords()[0]?.walletId ?? [])).toEqual(
      Buffer.from(walletId),
    );
    expect(till.ledger.chainHead().seq).toBe(1);
    expect(till.ledger.pendingRequests()).toEqual([]);
  });

  it("declines over the terminal's velocity before PAY: the wallet signs nothing", async () => {
    till = await patientTill({ velocity: { maxPaymentsPerHour: 1 } });
    const { phone } = await rig.activatedPhone('velocity');
    expect(await sell(100, phone)).toMatchObject({ state: 'approved' });
    const second = await sell(100, phone);
    expect(second).toMatchObject({
      state: 'declined',
      decline: { code: 'over_terminal_velocity' },
    });
    expect(second.steps.map((s) => s.step)).not.toContain('pay');
    expect(phone.snapshot().wallet.counter).toBe(1);
    rig.clock.advance(3_600);
    await till.setup.refresh();
    expect(await sell(100, phone)).toMatchObject({ state: 'approved', payment: { counter: 2 } });
  });

  it("a genuine record over the terminal's own offline cap is declined, stored and voided", async () => {
    till = await patientTill();
    till.setup.parameterOverrides = { ...till.setup.parameterOverrides, limitOfflineCount: 1 };
    await till.setup.refresh();
    const { phone } = await rig.activatedPhone('cap');
    expect(await sell(100, phone)).toMatchObject({ state: 'approved' });
    const second = await sell(150, phone);
    expect(second).toMatchObject({
      state: 'declined',
      decline: { code: 'over_offline_count' },
    });
    expect(second.decline?.detail).toContain('voided');
    const walletId = phone.wallet.walletId as Uint8Array;
    expect(till.ledger.payment(walletId, 2)).toMatchObject({ amount: 150, status: 'voided' });
    expect(till.ledger.chainHead().seq).toBe(3); // payment, payment, void
    expect(till.ledger.pendingRequests()).toEqual([]);
  });

  it('a PAY the wallet refuses (insufficient balance) declines with its reason and leaves nothing pending', async () => {
    till = await patientTill();
    const { phone } = await rig.activatedPhone('balance');
    expect(await sell(5_000, phone)).toMatchObject({ state: 'approved' });
    expect(await sell(5_000, phone)).toMatchObject({ state: 'approved' });
    const third = await sell(1, phone);
    expect(third).toMatchObject({
      state: 'declined',
      decline: { code: 'insufficient_balance', action: 'lower_amount' },
    });
    expect(third.steps.at(-1)).toMatchObject({ step: 'pay', ok: false });
    expect(till.ledger.pendingRequests()).toEqual([]);
    expect(till.ledger.chainHead().seq).toBe(2);
  });

  // Last: it suspends the rig's only terminal.
  it('a phone that heard of the suspension refuses PRESENT: declined terminal_suspended', async () => {
    till = await patientTill();
    const { phone } = await rig.activatedPhone('suspended');
    const suspended = await rig.operator('POST', '/v1/terminals/T-0001-01/suspend', {});
    expect(suspended.status).toBe(200);
    await phone.sync();
    const result = await sell(100, phone);
    expect(result).toMatchObject({
      state: 'declined',
      decline: { code: 'terminal_suspended', action: 'call_support' },
    });
    expect(result.steps.at(-1)).toMatchObject({ step: 'present_certificate', ok: false });
    expect(phone.snapshot().wallet.counter).toBe(0);
  });
});
