import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isLedgerError } from '../../db/errors';
import { LedgerStore } from '../../db/ledger-store';
import {
  expectedHead,
  newWallet,
  record,
  thrown,
  useTempDir,
  type ChainInput,
} from './support/ledger';

const tempDir = useTempDir('ledger-store');
const open = () => LedgerStore.open(join(tempDir(), 'ledger.db'));

describe('appendPayment', () => {
  it('commits payments and voids on one chain whose head follows docs/protocol.md', () => {
    const store = open();
    const a = newWallet();
    const b = newWallet();
    const r1 = record(a, 1, 100);
    const r2 = record(b, 7, 2_50);
    const r3 = record(a, 2, 3_00);
    store.appendPayment(r1, 10);
    store.appendPayment(r2, 11);
    store.voidPayment(a.walletId, 1, 12);
    const row = store.appendPayment(r3, 13);

    const inputs: ChainInput[] = [
      { kind: 'payment', body: r1.body },
      { kind: 'payment', body: r2.body },
      { kind: 'void', walletId: a.walletId, counter: 1, amount: 100, voidedAt: 12 },
      { kind: 'payment', body: r3.body },
    ];
    expect(store.chainHead()).toEqual({ seq: 4, head: expectedHead(inputs) });
    expect(row.chainSeq).toBe(4);
    expect(row.chainHash).toEqual(expectedHead(inputs));
    expect(row.record).toEqual(Buffer.from(r3.encoded));
    expect(store.verifyChain()).toEqual({ ok: true, length: 4, head: expectedHead(inputs) });
    expect(store.highestCounter(a.walletId)).toBe(2);
    store.close();
  });

  it('refuses a replayed or older counter and writes nothing', () => {
    const store = open();
    const w = newWallet();
    store.appendPayment(record(w, 5), 1);
    const before = store.chainHead();
    for (const counter of [5, 4]) {
      const error = thrown(() => store.appendPayment(record(w, counter), 2));
      expect(isLedgerError(error, 'replayed_counter')).toBe(true);
    }
    expect(store.chainHead()).toEqual(before);
    expect(store.db.prepare('SELECT count(*) FROM payments').pluck().get()).toBe(1);
    expect(store.highestCounter(w.walletId)).toBe(5);
    store.close();
  });
});

describe('voidPayment', () => {
  it('voids an unsettled payment once, refuses unknown and settled ones', () => {
    const store = open();
    const w = newWallet();
    store.appendPayment(record(w, 1, 500), 1);
    store.appendPayment(record(w, 2, 700), 2);
    const voided = store.voidPayment(w.walletId, 1, 3);
    expect(voided).toMatchObject({ counter: 1, amount: 500, voidedAt: 3, chainSeq: 3 });
    expect(store.payment(w.walletId, 1)?.status).toBe('voided');
    expect(
      isLedgerError(
        thrown(() => store.voidPayment(w.walletId, 1, 4)),
        'already_voided',
      ),
    ).toBe(true);
    expect(
      isLedgerError(
        thrown(() => store.voidPayment(w.walletId, 9, 4)),
        'not_found',
      ),
    ).toBe(true);

    const batchId = Buffer.alloc(16, 1);
    const cut = store.cutBatch({ batchId, periodStart: 0, periodEnd: 5, at: 5 });
    expect(cut.payments.map((p) => p.counter)).toEqual([1, 2]);
    expect(cut.voids.map((v) => v.counter)).toEqual([1]);
    expect(cut.batch.chainHead).toEqual(store.chainHead().head);
    // Cut but not acknowledged: still voidable (the void goes to the next batch).
    store.markUploaded(batchId, 6);
    store.markSettled(batchId, 7);
    expect(store.payment(w.walletId, 2)?.status).toBe('settled');
    expect(store.payment(w.walletId, 1)?.status).toBe('voided');
    expect(
      isLedgerError(
        thrown(() => store.voidPayment(w.walletId, 2, 8)),
        'already_settled',
      ),
    ).toBe(true);
    expect(
      isLedgerError(
        thrown(() => store.markSettled(batchId, 9)),
        'already_settled',
      ),
    ).toBe(true);
    expect(store.verifyChain().ok).toBe(true);
    store.close();
  });

  it('lets a void follow its payment into a later batch, whose head continues the chain', () => {
    const store = open();
    const w = newWallet();
    const r1 = record(w, 1, 500);
    store.appendPayment(r1, 1);
    const first = store.cutBatch({
      batchId: Buffer.alloc(16, 1),
      periodStart: 0,
      periodEnd: 1,
      at: 1,
    });
    expect(first.batch.chainHead).toEqual(expectedHead([{ kind: 'payment', body: r1.body }]));
    store.voidPayment(w.walletId, 1, 2);
    expect(store.unsettled()).toMatchObject({ payments: [], voids: [{ counter: 1 }] });
    const second = store.cutBatch({
      batchId: Buffer.alloc(16, 2),
      periodStart: 1,
      periodEnd: 2,
      at: 2,
    });
    expect(second.voids).toHaveLength(1);
    expect(second.batch.chainHead).toEqual(
      expectedHead([
        { kind: 'payment', body: r1.body },
        { kind: 'void', walletId: w.walletId, counter: 1, amount: 500, voidedAt: 2 },
      ]),
    );
    // An empty batch carries the current head.
    const third = store.cutBatch({
      batchId: Buffer.alloc(16, 3),
      periodStart: 2,
      periodEnd: 3,
      at: 3,
    });
    expect(third.batch.chainHead).toEqual(second.batch.chainHead);
    store.close();
  });
});

describe('pending requests', () => {
  it('keeps a torn tap until it is resolved once', () => {
    const store = open();
    const nonce = Buffer.alloc(16, 9);
    store.addPending({ nonce, request: Buffer.from('req'), amount: 300, at: 1 });
    expect(store.pendingRequests()).toMatchObject([{ nonce, amount: 300 }]);
    expect(store.resolvePending(nonce, 'completed', 2)).toBe(true);
    expect(store.resolvePending(nonce, 'abandoned', 3)).toBe(false);
    expect(store.pendingRequests()).toEqual([]);
    store.close();
  });
});
