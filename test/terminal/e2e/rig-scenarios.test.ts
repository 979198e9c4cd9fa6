/**
 * The core scenarios through the composed terminal (createTerminal, driven through its
 * contract) on the scenario rig's platform, which also runs on PostgreSQL: S2 a payment, S5
 * a lost phone declined and handed its notice, S10 settlement, S11 a torn tap, S13 a void
 * refunded, and S12 — which needs a second terminal, the rig's own — a cloned wallet spent
 * at both, flagged at settlement and revoked; then a sale cancelled before the tap, a backup
 * restored, and the terminal restarted on its folder. PGlite always; PostgreSQL when
 * TEST_DATABASE_URL is set (in CI it must be).
 */
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPhone, HttpPlatformLink, InProcessField, type Phone } from '../../../handset';
import { createTerminal, type Terminal } from '../../../main/terminal';
import { EmulatedReaderDriver } from '../../../main/terminal/reader/emulated';
import { INS } from '../../../protocol';
import { TestTerminal } from '../../handset/support/terminal';
import { backends } from '../../platform/support/databases';
import { startRig, type Rig } from '../../scenarios/support/rig';
import { settle } from '../../scenarios/support/settle';
import { drive, logSkip, removeTempDirs, tempDir, type Driven } from './support';

const LOAD = 10_000; // what rig.activatedPhone loads

if (!backends().includes('postgres')) {
  logSkip('PostgreSQL end-to-end scenarios', 'TEST_DATABASE_URL unset');
}

describe.each(backends())('the terminal end to end on %s', (backend) => {
  let rig: Rig;
  let terminal: Terminal;
  let api: Driven;
  const field = new InProcessField('E2E rig reader');
  const dataDir = tempDir('rig-terminal');
  const compose = () =>
    createTerminal({
      dataDir,
      clock: rig.clock,
      drivers: [new EmulatedReaderDriver([field])],
      pcsc: { available: false, notice: null },
      version: '0.0.0-e2e',
      transport: 'websocket',
    });

  beforeAll(async () => {
    rig = await startRig({ backend });
    terminal = compose();
    api = drive(terminal);
    await terminal.start();
    const { status, body } = await rig.operator<{ code: string }>('POST', '/v1/enrollment-codes', {
      merchantId: 'M-0001',
      terminalId: 'T-0001-E2E',
    });
    expect(status).toBe(201);
    const enrolled = await api.call('enrollment.enroll', {
      platformUrl: rig.platform.url,
      code: body.code,
    });
    expect(enrolled).toMatchObject({ mode: 'enrolled', terminalId: 'T-0001-E2E' });
    expect(await api.call('sync.status')).toMatchObject({ canTakePayments: true });
  }, 120_000);

  afterAll(async () => {
    expect(api?.internalErrors ?? []).toEqual([]);
    await terminal?.close();
    await rig?.close();
    removeTempDirs();
  });

  /** A phone of a new user, off every reader until it taps. */
  async function newPhone(prefix: string): Promise<Phone & { walletHex: string }> {
    const { phone, field: own } = await rig.activatedPhone(prefix);
    own.remove('taken to the shop');
    return Object.assign(phone, {
      walletHex: Buffer.from(phone.wallet.walletId ?? []).toString('hex'),
    });
  }

  const sale = async (amount: number, phone: Phone) => {
    const outcome = await api.sell(amount, () => Promise.resolve(field.present(phone)));
    if (field.current === phone) field.remove('pulled away');
    return outcome;
  };
  const balance = (phone: Phone) => phone.snapshot().wallet.balance;
  const platformBalance = async (walletHex: string) => {
    const { status, body } = await rig.operator<{ balance: number }>(
      'GET',
      `/v1/wallets/${walletHex}`,
    );
    expect(status).toBe(200);
    return body.balance;
  };

  it('S2: an offline payment is approved and recorded; both balances agree', async () => {
    const phone = await newPhone('s2');
    const outcome = await sale(1_500, phone);
    expect(outcome).toMatchObject({
      state: 'approved',
      payment: { amount: 1_500, counter: 1, walletId: phone.walletHex, balanceAfter: LOAD - 1_500 },
    });
    expect(balance(phone)).toBe(LOAD - 1_500);
    const listed = await api.call('payments.list', { walletId: phone.walletHex });
    expect(listed.payments).toEqual([outcome.payment]);
  });

  it('S5: a lost phone is hotlisted, declined revoked and handed its wipe notice', async () => {
    const phone = await newPhone('s5');
    phone.loseSignal();
    const before = (await api.call('sync.status')).hotlist.entries;
    const reported = await rig.operator('POST', '/v1/lost-reports', {
      walletId: phone.walletHex,
      reason: 'lost',
    });
    expect(reported.status).toBe(200);
    expect((await api.call('sync.now')).hotlist.entries).toBe(before + 1);

    const declined = await sale(300, phone);
    expect(declined).toMatchObject({
      state: 'declined',
      payment: null,
      decline: { code: 'revoked' },
    });
    const hotlist = declined.steps.find((s) => s.check === 'not on the hotlist');
    expect(hotlist?.detail).toMatch(/delivered \d+ notice/);
    expect(phone.snapshot().wallet.state).toBe('wiped');
    expect((await api.call('payments.list', { walletId: phone.walletHex })).total).toBe(0);
  });

  it('S11: a torn tap is completed by the next one: one payment, one debit', async () => {
    const phone = await newPhone('s11');
    const started = await api.call('checkout.start', { amount: 700 });
    field.tearAfterProcessing((command) => command[1] === INS.pay && field.current === phone);
    field.present(phone);
    expect((await api.until(started.saleId, ['torn', 'approved', 'declined'])).state).toBe('torn');
    expect(phone.snapshot().wallet).toMatchObject({ counter: 1, balance: LOAD - 700 });

    const seen = api.history(started.saleId).length;
    field.present(phone);
    const done = await api.until(started.saleId, ['approved', 'declined'], seen);
    field.remove('pulled away');
    expect(done).toMatchObject({ state: 'approved', payment: { amount: 700, counter: 1 } });
    expect(phone.snapshot().wallet).toMatchObject({ counter: 1, balance: LOAD - 700 });
    const listed = await api.call('payments.list', { walletId: phone.walletHex });
    expect(listed.payments.map((p) => [p.counter, p.amount])).toEqual([[1, 700]]);
  });

  it('S13 + S10: a void before settlement is refunded; the rest is credited; the phones hear', async () => {
    const phone = await newPhone('s13');
    const kept = await sale(1_000, phone);
    const voided = await sale(400, phone);
    expect([kept.state, voided.state]).toEqual(['approved', 'approved']);
    expect(balance(phone)).toBe(LOAD - 1_400);
    expect(
      await api.call('payments.void', { paymentId: voided.payment?.paymentId ?? 0 }),
    ).toMatchObject({ status: 'voided' });

    const open = (await api.call('settlement.status')).openPeriod;
    // S2's, S11's and these two payments; one voided.
    expect(open).toMatchObject({ count: 4, total: 1_500 + 700 + 1_000 + 400, voidTotal: 400 });
    // Offline, the platform has not heard of any of it yet.
    expect(await platformBalance(phone.walletHex)).toBe(LOAD);
    const batch = await api.call('settlement.close');
    expect(batch).toMatchObject({ state: 'cut', recordCount: 4, voidCount: 1 });
    expect(await api.call('settlement.upload')).toMatchObject({ pending: [], uploading: false });
    const result = await api.call('settlement.result', { batchId: batch?.batchId ?? '' });
    expect(result.batch.state).toBe('acknowledged');
    expect(result.discrepancies).toEqual([]);
    expect(result.entries.every((e) => e.status === 'accepted')).toBe(true);
    expect(result.entries.filter((e) => e.kind === 'void')).toEqual([
      expect.objectContaining({ walletId: phone.walletHex, counter: 2, amount: 400 }),
    ]);
    expect(result.totalCredited).toBe(1_500 + 700 + 1_000);
    expect(result.expectedCredit).toBe(result.totalCredited);
    // The settlement screen's list shows the same batch, credited.
    expect(await api.call('settlement.batches')).toEqual([result.batch]);
    const unknown = await api.refusal('settlement.result', { batchId: '00'.repeat(16) });
    expect(unknown).toMatchObject({ code: 'refused', reason: 'unknown_batch' });
    // A minute later the status still dates the last upload to when it happened.
    rig.clock.advance(60);
    expect((await api.call('settlement.status')).lastUpload).toMatchObject({
      at: result.batch.uploadedAt,
      outcome: 'ok',
    });
    const statuses = await api.call('payments.list', { walletId: phone.walletHex });
    expect(statuses.payments.map((p) => p.status).sort()).toEqual(['settled', 'voided']);

    // The user's e-cash on the platform: the kept payment debited, the voided one refunded;
    // the phone agrees once it has synced.
    expect(await platformBalance(phone.walletHex)).toBe(LOAD - 1_000);
    await phone.sync();
    expect(phone.snapshot().wallet).toMatchObject({ state: 'active', balance: LOAD - 1_000 });
  });

  it('S12: one wallet state spent at two terminals is flagged double_spend and revoked', async () => {
    const { phone: original, stateDir, field: own } = await rig.activatedPhone('s12');
    own.remove('taken to the shop');
    const walletHex = Buffer.from(original.wallet.walletId ?? []).toString('hex');
    // The wallet's whole folder copied: the same keys, counter and balance in a second phone.
    const { imei, imsi } = original.snapshot().device.identity;
    const cloneDir = join(tempDir('clone'), 'phone');
    cpSync(stateDir, cloneDir, { recursive: true, filter: (s) => !s.endsWith('phone.lock') });
    const link = new HttpPlatformLink({ baseUrl: rig.platform.url, clock: rig.clock });
    const clone = createPhone({ stateDir: cloneDir, imei, imsi, clock: rig.clock, platform: link });
    link.attach(clone.wallet);
    try {
      // The clone pays at the rig's terminal, which settles first.
      const cloneField = new InProcessField('other shop');
      cloneField.present(clone);
      const other = new TestTerminal(cloneField, rig.clock, {
        certificate: rig.terminalCertificate,
      });
      const paid = await other.pay(other.request(2_000));
      expect(paid.record?.value.counter).toBe(1);
      expect(await settle(rig, other, [paid.record!])).toBe(200);

      // The original spends the same state (counter 1) here; offline nothing can tell.
      const here = await sale(1_500, original);
      expect(here).toMatchObject({ state: 'approved', payment: { counter: 1 } });

      const batch = await api.call('settlement.close');
      await api.call('settlement.upload');
      const result = await api.call('settlement.result', { batchId: batch?.batchId ?? '' });
      const flagged = result.entries.find((e) => e.walletId === walletHex);
      expect(flagged).toMatchObject({ kind: 'record', counter: 1, status: 'double_spend' });
      expect(result.discrepancies).toContainEqual(flagged);
      const detail = await api.call('payments.get', { paymentId: here.payment?.paymentId ?? 0 });
      expect(detail.settlement?.status).toBe('double_spend');

      // Revoked: the next sync puts it on this terminal's hotlist, and it is declined.
      const before = (await api.call('sync.status')).hotlist.entries;
      expect((await api.call('sync.now')).hotlist.entries).toBe(before + 1);
      expect(await sale(100, original)).toMatchObject({
        state: 'declined',
        decline: { code: 'revoked' },
      });
    } finally {
      clone.close();
    }
  });

  it('a sale cancelled before the tap charges nothing; the next sale is paid', async () => {
    const phone = await newPhone('cancel');
    const started = await api.call('checkout.start', { amount: 250 });
    expect(await api.call('checkout.cancel', { saleId: started.saleId })).toMatchObject({
      state: 'cancelled',
    });
    expect(await api.call('checkout.current')).toMatchObject({
      saleId: started.saleId,
      state: 'cancelled',
    });
    expect(await api.refusal('checkout.cancel', { saleId: 'no-such-sale' })).toMatchObject({
      code: 'refused',
      reason: 'unknown_sale',
    });
    expect(phone.snapshot().wallet.counter).toBe(0);
    expect(await sale(250, phone)).toMatchObject({ state: 'approved', payment: { counter: 1 } });
  });

  it('a backup restored through the contract brings the ledger back; the terminal sells on', async () => {
    const path = `${tempDir('backup')}/ledger-backup.sqlite`;
    const saved = await api.call('payments.list', {});
    expect(await api.call('backup.create', { path })).toMatchObject({ path });
    const phone = await newPhone('backup');
    expect((await sale(150, phone)).state).toBe('approved');
    expect((await api.call('payments.list', {})).total).toBe(saved.total + 1);

    await api.call('backup.restore', { path });
    expect(await api.call('payments.list', {})).toEqual(saved);
    expect(await api.call('sync.status')).toMatchObject({ canTakePayments: true });
    const other = await newPhone('after-restore');
    expect((await sale(150, other)).state).toBe('approved');
  });

  it('restarted on its folder, the terminal keeps its enrollment, ledger and hotlist and sells', async () => {
    const before = await api.call('payments.list', {});
    const hotlist = (await api.call('sync.status')).hotlist;
    expect(api.internalErrors).toEqual([]);
    await terminal.close();
    terminal = compose();
    api = drive(terminal);
    await terminal.start();
    expect(await api.call('enrollment.status')).toMatchObject({
      mode: 'enrolled',
      terminalId: 'T-0001-E2E',
    });
    expect(await api.call('payments.list', {})).toEqual(before);
    expect(await api.call('sync.status')).toMatchObject({ canTakePayments: true, hotlist });
    const phone = await newPhone('restart');
    expect(await sale(600, phone)).toMatchObject({ state: 'approved', payment: { counter: 1 } });
  });
});
