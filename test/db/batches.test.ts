/**
 * db/batches.ts: a cut is a prefix of the unbatched chain (by store time, at most
 * maxEntries of each kind), numbered in order, its envelope stored in the same transaction;
 * a version-1 ledger with batches is migrated with its batches numbered as they were cut.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { batchEnvelope, openBatches } from '../../db/batches';
import { LedgerStore } from '../../db/ledger-store';
import { sql as ledger0001 } from '../../db/migrations/0001_ledger';
import { LEDGER_VERSION } from '../../db/migrations';
import { newWallet, record, useTempDir } from './support/ledger';

const tempDir = useTempDir('ledger-batches');

describe('cutBatch', () => {
  it('takes the chain prefix stored before a time, splits at maxEntries, keeps the sealed bytes', () => {
    const store = LedgerStore.open(join(tempDir(), 'ledger.db'));
    const w = newWallet();
    store.appendPayment(record(w, 1), 10);
    store.appendPayment(record(w, 2), 20);
    store.voidPayment(w.walletId, 1, 25);
    store.appendPayment(record(w, 3), 30);

    const first = store.cutBatch({
      batchId: Buffer.alloc(16, 1),
      periodStart: 0,
      periodEnd: 24,
      at: 40,
      storedBefore: 25,
      seal: (cut) => Buffer.from(`sealed ${cut.payments.length}`),
    });
    expect(first.payments.map((p) => p.counter)).toEqual([1, 2]);
    expect(first.voids).toEqual([]);
    // Widened to the records' terminalTime (1_700_000_000 + counter).
    expect(first.batch).toMatchObject({ seq: 1, periodStart: 0, periodEnd: 1_700_000_002 });
    expect(batchEnvelope(store.db, first.batch.batchId)?.toString()).toBe('sealed 2');

    const second = store.cutBatch({
      batchId: Buffer.alloc(16, 2),
      periodStart: 0,
      periodEnd: 50,
      at: 50,
      maxEntries: 1,
    });
    expect(second.batch.seq).toBe(2);
    expect(second.voids.map((v) => v.counter)).toEqual([1]);
    expect(second.payments.map((p) => p.counter)).toEqual([3]);
    expect(store.unsettled()).toEqual({ payments: [], voids: [] });
    expect(openBatches(store.db).map((b) => b.seq)).toEqual([1, 2]);
    store.close();
  });

  it('migrates a version-1 ledger: its batches keep their order', () => {
    const path = join(tempDir(), 'ledger.db');
    const raw = new Database(path);
    raw.exec(ledger0001);
    raw.pragma('user_version = 1');
    for (const [id, at] of [
      [3, 100],
      [1, 200],
    ] as const) {
      raw
        .prepare(
          `INSERT INTO settlement_batches (batch_id, period_start, period_end, chain_head, state, cut_at)
           VALUES (?, 0, 1, zeroblob(32), 'cut', ?)`,
        )
        .run(Buffer.alloc(16, id), at);
    }
    raw.close();
    const store = LedgerStore.open(path);
    expect(store.db.pragma('user_version', { simple: true })).toBe(LEDGER_VERSION);
    expect(openBatches(store.db).map((b) => [b.batchId[0], b.seq])).toEqual([
      [3, 1],
      [1, 2],
    ]);
    expect(store.startup.ok).toBe(true);
    store.close();
  });
});
