/**
 * Faults at the till through the real checkout over the real reader service and
 * EmulatedReaderDriver (real phones, the real ledger file): the ledger unable to write (a
 * full disk: the database may not grow, SQLite's SQLITE_FULL path, everywhere; and, as root,
 * a real 1 MiB tmpfs filled by the WAL, as test/db/disk-full.test.ts does), and the card leaving mid-PAY — after the phone signed (torn)
 * and before PAY reached it. test/terminal/checkout covers the same over its test adapter.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { INS } from '../../../protocol';
import { LedgerStore } from '../../../db/ledger-store';
import type { SaleResult } from '../../../main/terminal/checkout';
import { useTempDir } from '../../db/support/ledger';
import { canMountTmpfs } from '../../db/support/tmpfs';
import {
  activatePhones,
  LEDGER_FILE,
  openDurableTill,
  type CheckoutStateEvent,
  type DurableTill,
} from './support/durable-till';

const isPay = (command: Uint8Array) => command[1] === INS.pay;
const tempDir = useTempDir('checkout-faults');
let till: DurableTill | undefined;
afterEach(async () => {
  await till?.close();
  till = undefined;
});

async function openTill(phones = 1) {
  const dir = tempDir();
  await activatePhones(dir, phones);
  const states: CheckoutStateEvent[] = [];
  till = await openDurableTill(dir, {
    phones,
    publish: (event, payload) => {
      if (event === 'checkout.state') states.push(payload as CheckoutStateEvent);
    },
  });
  const reached = (saleId: string, state: CheckoutStateEvent['state']) =>
    new Promise<CheckoutStateEvent>((resolve) => {
      const poll = () => {
        const found = states.find((e) => e.saleId === saleId && e.state === state);
        if (found) resolve(found);
        else setImmediate(poll);
      };
      poll();
    });
  return { dir, till, states, reached, phone: till.phones[0]! };
}

describe('a full disk at the till', () => {
  it('declines with ledger_failed (nothing approved), the ledger intact; the next tap once there is room completes what was signed', async () => {
    const { dir, till, states, phone } = await openTill();
    expect(await till.pay(phone, 100)).toMatchObject({ state: 'approved' });
    // The disk is full: the database may not take one more page.
    const pages = till.ledger.db.pragma('page_count', { simple: true }) as number;
    till.ledger.db.pragma(`max_page_count = ${pages}`);
    let declined: SaleResult | undefined;
    for (let sale = 0; sale < 500 && declined === undefined; sale++) {
      const result = await till.pay(phone, 100);
      if (result.state !== 'approved') declined = result;
    }
    expect(declined).toMatchObject({
      state: 'declined',
      payment: undefined,
      decline: { code: 'ledger_failed', action: 'call_support' },
    });
    expect(declined?.decline?.message).toMatch(/storage is full/);
    expect(declined?.decline?.detail).toMatch(/disk_full/);
    const saleStates = states.filter((e) => e.saleId === declined?.saleId).map((e) => e.state);
    expect(saleStates).not.toContain('approved');
    const approvedBefore = till.ledger.chainHead().seq;
    expect(states.filter((e) => e.state === 'approved')).toHaveLength(approvedBefore);
    expect(till.ledger.verifyChain().ok).toBe(true);
    const signed = phone.snapshot().wallet.counter ?? 0;
    // The phone signed at most the declined sale's payment; if it did, it is pending.
    expect(signed - approvedBefore).toBeLessThanOrEqual(1);
    expect(till.ledger.pendingRequests()).toHaveLength(signed - approvedBefore);

    // Room again: the next tap completes a signed payment (never a second one) and pays.
    till.ledger.db.pragma('max_page_count = 1073741823');
    const next = await till.pay(phone, 250);
    expect(next).toMatchObject({ state: 'approved', payment: { counter: signed + 1 } });
    expect(till.ledger.chainHead().seq).toBe(signed + 1);
    expect(till.ledger.pendingRequests()).toEqual([]);
    await till.close();
    const reopened = LedgerStore.open(join(dir, LEDGER_FILE));
    expect(reopened.startup).toMatchObject({
      ok: true,
      integrity: { ok: true },
      chain: { ok: true },
    });
    expect(reopened.highestCounter(phone.wallet.walletId as Uint8Array)).toBe(signed + 1);
    reopened.close();
  });
});

describe('a real full filesystem at the till (tmpfs, root only)', () => {
  it.runIf(canMountTmpfs())(
    'declines with ledger_failed once the WAL cannot grow; the ledger reopens intact',
    { timeout: 120_000 },
    () => {
      const phonesDir = tempDir();
      const fullDir = tempDir();
      const child = join(import.meta.dirname, 'support', 'full-disk-child.ts');
      const script = `mount -t tmpfs -o size=1m tmpfs "${fullDir}" && exec "${process.execPath}" --import tsx "${child}" "${phonesDir}" "${fullDir}"`;
      const out = execFileSync('unshare', ['--mount', 'sh', '-c', script], {
        encoding: 'utf8',
        timeout: 110_000,
      });
      const seen = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
      expect(seen).toMatchObject({
        refusedState: 'declined',
        decline: { code: 'ledger_failed', action: 'call_support' },
        refusedSaleApproved: false,
        reopenedOk: true,
      });
      expect(seen.approved).toBeGreaterThan(10);
      expect(seen.approvedEvents).toBe(seen.approved);
      // Every approval is on disk; a payment the phone signed for the refused sale is
      // pending (the wallet's next tap completes it), never lost and never approved.
      expect(seen.reopenedSeq).toBe(seen.approved);
      expect(Number(seen.signed) - Number(seen.approved)).toBe(seen.pending);
    },
  );
});

describe('the card leaving mid-PAY over the emulated driver', () => {
  it('torn after the phone signed: the next tap completes that payment, once', async () => {
    const { till, reached, phone } = await openTill();
    const sale = await till.checkout.start({ amount: 700, currency: 978 });
    till.field.tearAfterProcessing(isPay);
    till.field.remove('next customer');
    till.field.present(phone);
    expect((await reached(sale.saleId, 'torn')).reason).toContain('tap again');
    expect(phone.snapshot().wallet).toMatchObject({ counter: 1 });
    expect(till.ledger.pendingRequests()).toHaveLength(1);
    expect(till.ledger.chainHead().seq).toBe(0);

    till.field.remove('tap again');
    till.field.present(phone);
    const result = await till.checkout.outcome(sale.saleId);
    expect(result).toMatchObject({
      state: 'approved',
      payment: { amount: 700, counter: 1, completedTornTap: true },
    });
    expect(result.steps.map((s) => s.step)).not.toContain('pay');
    expect(till.ledger.chainHead().seq).toBe(1);
    expect(till.ledger.pendingRequests()).toEqual([]);
    expect(phone.snapshot().wallet.counter).toBe(1);
  });

  it('removed before PAY reached the phone: nothing signed, the next tap pays once', async () => {
    const { till, reached, phone } = await openTill();
    const balance = phone.snapshot().wallet.balance as number;
    const sale = await till.checkout.start({ amount: 450, currency: 978 });
    till.beforeTransmit = (command) => {
      if (!isPay(command)) return;
      till.beforeTransmit = undefined;
      till.field.remove('pulled away');
    };
    till.field.remove('next customer');
    till.field.present(phone);
    await reached(sale.saleId, 'torn');
    expect(phone.snapshot().wallet).toMatchObject({ counter: 0, balance });

    till.field.present(phone);
    const result = await till.checkout.outcome(sale.saleId);
    expect(result).toMatchObject({
      state: 'approved',
      payment: { amount: 450, counter: 1, completedTornTap: false },
    });
    expect(result.steps.find((s) => s.step === 'torn_tap')?.detail).toContain('never signed');
    expect(till.ledger.chainHead().seq).toBe(1);
    expect(till.ledger.pendingRequests()).toEqual([]);
    expect(phone.snapshot().wallet).toMatchObject({ counter: 1, balance: balance - 450 });
  });
});
