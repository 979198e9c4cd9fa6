/**
 * What the checkout writes beyond plain payments (migration 0002): pending requests kept
 * with their wallet, the record that answers one committed with it, a genuine record the
 * terminal declines stored and voided at once, clone evidence kept outside the chain, and
 * the per-wallet figures of the velocity limits. A version-1 file is migrated in place.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { checksOf } from '../../db/history';
import { LedgerStore } from '../../db/ledger-store';
import { LEDGER_APPLICATION_ID, sql as ledger0001 } from '../../db/migrations/0001_ledger';
import { LEDGER_VERSION } from '../../db/migrations';
import { newWallet, record, useTempDir } from './support/ledger';

const tempDir = useTempDir('tap-ledger');
const open = (path = join(tempDir(), 'ledger.db')) => LedgerStore.open(path);

describe('pending requests by wallet', () => {
  it('lists only the unresolved requests sent to that wallet, oldest first', () => {
    const store = open();
    const a = newWallet();
    const b = newWallet();
    const pending = (byte: number, walletId: Buffer, at: number) =>
      store.addPending({
        nonce: Buffer.alloc(16, byte),
        request: Buffer.of(byte),
        amount: 5,
        at,
        walletId,
      });
    pending(1, a.walletId, 20);
    pending(2, b.walletId, 10);
    pending(3, a.walletId, 15);
    expect(store.pendingFor(a.walletId).map((p) => p.nonce[0])).toEqual([3, 1]);
    store.resolvePending(Buffer.alloc(16, 3), 'abandoned', 30);
    expect(store.pendingFor(a.walletId).map((p) => p.nonce[0])).toEqual([1]);
    expect(store.pendingFor(a.walletId)[0]?.walletId).toEqual(a.walletId);
    store.close();
  });

  it('completePending stores the payment and closes its request in one transaction', () => {
    const store = open();
    const wallet = newWallet();
    const signed = record(wallet, 1, 400);
    store.addPending({
      nonce: signed.value.nonce,
      request: Buffer.of(1),
      amount: 400,
      at: 1,
      walletId: wallet.walletId,
    });
    const row = store.completePending(signed, 2);
    expect(row).toMatchObject({ counter: 1, amount: 400, status: 'approved' });
    expect(store.pendingRequests()).toEqual([]);
    // A second completion is a replay: refused, and the first stays.
    expect(() => store.completePending(signed, 3)).toThrow(/not above/);
    expect(store.chainHead().seq).toBe(1);
    store.close();
  });
});

describe('the checks behind a payment', () => {
  const pendingOf = (store: LedgerStore, signed: ReturnType<typeof record>, walletId: Buffer) =>
    store.addPending({
      nonce: signed.value.nonce,
      request: Buffer.of(1),
      amount: 400,
      at: 1,
      walletId,
    });

  it('are committed with the payment, worded with its chain position', () => {
    const store = open();
    const wallet = newWallet();
    const signed = record(wallet, 1, 400);
    pendingOf(store, signed, wallet.walletId);
    const row = store.completePending(signed, 2, (stored) => [
      { check: 'pay', ok: true, detail: null },
      { check: 'commit', ok: true, detail: `chain entry ${stored.chainSeq}` },
    ]);
    expect(checksOf(store.db, row.id)).toEqual([
      { check: 'pay', ok: true, detail: null },
      { check: 'commit', ok: true, detail: 'chain entry 1' },
    ]);
    store.close();
  });

  it('failing to word them stores neither the payment nor its checks', () => {
    const store = open();
    const wallet = newWallet();
    const signed = record(wallet, 1, 400);
    pendingOf(store, signed, wallet.walletId);
    expect(() =>
      store.completePending(signed, 2, () => {
        throw new Error('no words');
      }),
    ).toThrow(/no words/);
    expect(store.payment(wallet.walletId, 1)).toBeUndefined();
    expect(store.chainHead().seq).toBe(0);
    expect(store.pendingFor(wallet.walletId)).toHaveLength(1);
    store.close();
  });
});

describe('declined records', () => {
  it('appendVoidedPayment stores and voids in one chain, and velocity skips voided payments', () => {
    const path = join(tempDir(), 'ledger.db');
    const store = open(path);
    const wallet = newWallet();
    store.appendPayment(record(wallet, 1, 100), 1_000);
    const { payment, void: voided } = store.appendVoidedPayment(record(wallet, 2, 700), 1_010);
    expect(payment).toMatchObject({ counter: 2, status: 'voided' });
    expect(voided).toMatchObject({ counter: 2, amount: 700, voidedAt: 1_010 });
    expect(store.payment(wallet.walletId, 2)?.status).toBe('voided');
    expect(store.chainHead().seq).toBe(3);
    expect(store.walletActivity(wallet.walletId, 1_000)).toEqual({ count: 1, amount: 100 });
    expect(store.walletActivity(wallet.walletId, 1_001)).toEqual({ count: 0, amount: 0 });
    store.close();
    const reopened = open(path);
    expect(reopened.startup.ok).toBe(true);
    reopened.close();
  });

  it('addEvidence keeps a replayed record once, outside the chain, and closes its request', () => {
    const store = open();
    const wallet = newWallet();
    store.appendPayment(record(wallet, 1, 100), 1);
    const clone = record(wallet, 1, 900);
    store.addPending({
      nonce: clone.value.nonce,
      request: Buffer.of(1),
      amount: 900,
      at: 2,
      walletId: wallet.walletId,
    });
    const row = store.addEvidence(clone, 'replayed_counter', 3);
    expect(row).toMatchObject({
      counter: 1,
      amount: 900,
      reason: 'replayed_counter',
      batchId: null,
    });
    expect(store.addEvidence(clone, 'replayed_counter', 4).id).toBe(row.id);
    expect(store.evidenceRecords()).toHaveLength(1);
    expect(Buffer.from(store.evidenceRecords()[0]?.record ?? [])).toEqual(
      Buffer.from(clone.encoded),
    );
    expect(store.pendingRequests()).toEqual([]);
    expect(store.chainHead().seq).toBe(1);
    expect(store.verifyChain().ok).toBe(true);
    store.close();
  });
});

describe('migration 0002', () => {
  it('migrates a version-1 ledger in place; its pending requests have no wallet', () => {
    const path = join(tempDir(), 'v1.db');
    const raw = new Database(path);
    raw.exec(ledger0001);
    raw.pragma('user_version = 1');
    raw
      .prepare(
        `INSERT INTO pending_requests (nonce, request, amount, created_at, state) VALUES (?, ?, 5, 1, 'pending')`,
      )
      .run(Buffer.alloc(16, 7), Buffer.of(1));
    expect(raw.pragma('application_id', { simple: true })).toBe(LEDGER_APPLICATION_ID);
    raw.close();

    const store = open(path);
    expect(store.db.pragma('user_version', { simple: true })).toBe(LEDGER_VERSION);
    expect(store.pendingRequests()).toMatchObject([{ amount: 5, walletId: null }]);
    expect(store.evidenceRecords()).toEqual([]);
    store.close();
  });
});
