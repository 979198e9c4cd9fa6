/**
 * The composed terminal (createTerminal with the PcscReaderDriver, driven through its
 * contract) on the real pcscd + vsmartcard-vpcd stack, paid by demo phones attached to vpcd:
 * S2 approved, S5 a lost phone declined `revoked` and handed its notice (DELIVER over PC/SC),
 * S11 a torn tap (the vpcd card leaves after the phone processed PAY) completed by the next
 * tap, S13 a void refunded at settlement. Runs inside scripts/pcsc-private.sh.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedClock, type Phone } from '../../handset';
import { VpcdCard, virtualCardOf } from '../../handset/transport/vpcd';
import { startDemo, type Demo } from '../../main/demo';
import { demoControls } from '../../main/demo/launch';
import type { DemoPhone } from '../../main/demo/phones';
import { WALLET_LOAD } from '../../main/demo/phones';
import { createTerminal, type Terminal } from '../../main/terminal';
import { PcscReaderDriver } from '../../main/terminal/reader/pcsc/driver';
import type { CheckoutView, DemoPhoneView } from '../../preload/contract';
import { INS } from '../../protocol';
import { drive, removeTempDirs, tempDir, type Driven } from '../terminal/e2e/support';
import { acquirePcscStack, releasePcscStack } from './support/stack';
import { VPCD_READER } from './support/wallet';
import { untilState } from './support/waits';

const ready = await acquirePcscStack();
afterAll(releasePcscStack);

const PORT = 35963; // vpcd's slot "Virtual PCD 00 00"

describe.skipIf(!ready)('the terminal on pcscd + vpcd, paid by demo phones', () => {
  let demo: Demo;
  let terminal: Terminal;
  let api: Driven;

  beforeAll(async () => {
    const dataDir = tempDir('pcsc-demo');
    demo = await startDemo({ dataDir, clock: new SimulatedClock(), phoneCount: 4 });
    terminal = createTerminal({
      dataDir: `${dataDir}/terminal`,
      clock: demo.clock,
      drivers: [new PcscReaderDriver({ acceptReader: (name) => name === VPCD_READER })],
      demo: demoControls(demo),
      pcsc: { available: true, notice: null },
      version: '0.0.0-e2e',
      transport: 'websocket',
    });
    api = drive(terminal);
    await terminal.start();
    await api.call('enrollment.enroll', await demo.enrollmentCode());
    expect(await api.call('sync.now')).toMatchObject({ canTakePayments: true });
    await readerEmpty();
  }, 120_000);

  afterAll(async () => {
    expect(api?.internalErrors ?? []).toEqual([]);
    await terminal?.close();
    await demo?.close();
    removeTempDirs();
  });

  async function phone(phoneId: string): Promise<DemoPhoneView> {
    const found = (await api.call('demo.state')).phones.find((p) => p.phoneId === phoneId);
    if (found === undefined) throw new Error(`no ${phoneId} in demo.state`);
    return found;
  }

  /** pcscd has seen the slot empty: the next card is a new tap, not the last one lingering. */
  async function readerEmpty(timeoutMs = 10_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const { readers } = await api.call('readers.list');
      const states = readers.map((r) => `${r.name}: ${r.state}`).join(', ');
      if (states === `${VPCD_READER}: ready`) return;
      if (Date.now() > end) throw new Error(`the vpcd reader is not empty and ready (${states})`);
      await sleep(50);
    }
  }

  /** A sale paid (or refused) by the demo phone on vpcd; the phone leaves the reader after. */
  async function sale(phoneId: string, amount: number): Promise<CheckoutView> {
    let attachment: ReturnType<Demo['attachVpcd']> | undefined;
    try {
      return await api.sell(amount, () => {
        attachment = demo.attachVpcd(phoneId, { port: PORT });
        return Promise.resolve();
      });
    } finally {
      attachment?.detach();
      await readerEmpty();
    }
  }

  it('S2: a demo phone on vpcd pays; the payment is listed and both balances agree', async () => {
    const outcome = await sale('phone-1', 900);
    expect(outcome).toMatchObject({
      state: 'approved',
      readerName: VPCD_READER,
      payment: { amount: 900, counter: 1, balanceAfter: WALLET_LOAD - 900 },
    });
    const shown = await phone('phone-1');
    expect(shown).toMatchObject({ balance: WALLET_LOAD - 900, counter: 1 });
    const listed = await api.call('payments.list', { walletId: shown.walletId ?? undefined });
    expect(listed.payments).toEqual([outcome.payment]);
  });

  it('S5: a lost phone is declined revoked and handed its wipe notice over PC/SC', async () => {
    await api.call('demo.action', { phoneId: 'phone-2', action: 'signal_off' });
    await api.call('demo.action', { phoneId: 'phone-2', action: 'report_lost' });
    await api.call('sync.now');
    const declined = await sale('phone-2', 300);
    expect(declined).toMatchObject({
      state: 'declined',
      payment: null,
      decline: { code: 'revoked' },
    });
    const hotlist = declined.steps.find((s) => s.check === 'not on the hotlist');
    expect(hotlist?.detail).toMatch(/delivered \d+ notice/);
    expect(await phone('phone-2')).toMatchObject({ walletState: 'wiped', counter: 0 });
  });

  it('S11: the card leaves after PAY; the next tap completes that payment: one debit', async () => {
    // The demo's own vpcd attachment cannot tear; this one tears like the handset's pcsc
    // tests do: the phone processes PAY, and the card leaves before the answer goes out.
    const target = demoPhone(demo, 'phone-3');
    const inner = virtualCardOf(target);
    let tear = true;
    const vpcd: VpcdCard = new VpcdCard(
      {
        ...inner,
        processApdu(command) {
          const response = inner.processApdu(command);
          if (tear && command[1] === INS.pay) {
            tear = false;
            vpcd.remove('torn after processing');
          }
          return response;
        },
      },
      { port: PORT, minBackoffMs: 50, maxBackoffMs: 400 },
    );
    try {
      const started = await api.call('checkout.start', { amount: 700 });
      vpcd.insert();
      const torn = await api.until(started.saleId, ['torn', 'approved', 'declined']);
      expect(torn.state).toBe('torn');
      expect(await phone('phone-3')).toMatchObject({ counter: 1, balance: WALLET_LOAD - 700 });
      await readerEmpty();

      const seen = api.history(started.saleId).length;
      vpcd.insert();
      await untilState(vpcd, 'powered');
      const done = await api.until(started.saleId, ['approved', 'declined'], seen);
      expect(done).toMatchObject({ state: 'approved', payment: { amount: 700, counter: 1 } });
      expect(await phone('phone-3')).toMatchObject({ counter: 1, balance: WALLET_LOAD - 700 });
      const listed = await api.call('payments.list', {
        walletId: (await phone('phone-3')).walletId ?? undefined,
      });
      expect(listed.payments.map((p) => [p.counter, p.amount])).toEqual([[1, 700]]);
    } finally {
      vpcd.remove('test over');
      await readerEmpty();
    }
  });

  it('S13: a payment voided before settlement is refunded; the rest is credited', async () => {
    const paid = await sale('phone-4', 400);
    expect(paid.state).toBe('approved');
    await api.call('payments.void', { paymentId: paid.payment?.paymentId ?? 0 });
    const batch = await api.call('settlement.close');
    expect(batch).toMatchObject({ recordCount: 3, total: 900 + 700 + 400, voidTotal: 400 });
    await api.call('settlement.upload');
    const result = await api.call('settlement.result', { batchId: batch?.batchId ?? '' });
    expect(result.batch.state).toBe('acknowledged');
    expect(result.discrepancies).toEqual([]);
    expect(result.entries.every((e) => e.status === 'accepted')).toBe(true);
    expect(result.totalCredited).toBe(900 + 700);
    await api.call('demo.action', { phoneId: 'phone-4', action: 'sync' });
    expect((await phone('phone-4')).balance).toBe(WALLET_LOAD);
  });
});

/**
 * The demo phone itself. The demo keeps its phones to itself (the panel only sees views);
 * a torn tap on vpcd needs the phone under a tearing vpcd card, so the test reaches in.
 */
function demoPhone(demo: Demo, phoneId: string): Phone {
  const { phones } = demo as unknown as { phones: readonly DemoPhone[] };
  const found = phones.find((p) => p.record.phoneId === phoneId);
  if (found === undefined) throw new Error(`no demo phone ${phoneId}`);
  return found.phone;
}
