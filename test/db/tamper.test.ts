import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LedgerStore } from '../../db/ledger-store';
import { newWallet, record, useTempDir } from './support/ledger';

const tempDir = useTempDir('ledger-tamper');

/** A closed ledger of 4 payments and a void (chain entries 1..5), then `tamper` on it raw. */
function tamperedLedger(tamper: (raw: Database.Database) => void): LedgerStore {
  const path = join(tempDir(), 'ledger.db');
  const store = LedgerStore.open(path);
  const w = newWallet();
  for (let counter = 1; counter <= 4; counter++)
    store.appendPayment(record(w, counter, counter * 100), counter);
  store.voidPayment(w.walletId, 2, 9);
  store.close();
  const raw = new Database(path);
  tamper(raw);
  raw.close();
  return LedgerStore.open(path);
}

describe('verifyChain at start', () => {
  it('passes an untouched ledger', () => {
    const store = tamperedLedger(() => {});
    expect(store.startup.ok).toBe(true);
    store.close();
  });

  const cases: [string, string, number][] = [
    ['an edited amount', 'UPDATE payments SET amount = 1 WHERE counter = 3', 3],
    ['an edited record', "UPDATE payments SET record = x'00' WHERE counter = 1", 1],
    ['an edited void', 'UPDATE voids SET voided_at = 10', 5],
    ['a deleted payment', 'DELETE FROM payments WHERE counter = 1', 1],
    ['a deleted void', 'DELETE FROM voids', 2],
    [
      'a deleted last entry, its traces cleaned',
      "DELETE FROM voids; UPDATE payments SET status = 'approved' WHERE counter = 2",
      5,
    ],
    ['a void undone by status', "UPDATE payments SET status = 'approved' WHERE counter = 2", 2],
    [
      'two payments swapped in the chain',
      `UPDATE payments SET chain_seq = chain_seq + 100 WHERE counter IN (3, 4);
       UPDATE payments SET chain_seq = 7 - (chain_seq - 100) WHERE counter IN (3, 4)`,
      3,
    ],
    [
      'two payments swapped with their links',
      `UPDATE payments SET chain_seq = chain_seq + 100 WHERE counter IN (3, 4);
       UPDATE payments SET chain_seq = 7 - (chain_seq - 100),
         chain_hash = (SELECT o.chain_hash FROM payments o WHERE o.counter = 7 - payments.counter)
       WHERE counter IN (3, 4)`,
      3,
    ],
  ];
  it.each(cases)('detects %s and names the first broken entry', (_name, sql, brokenAt) => {
    const store = tamperedLedger((raw) => raw.exec(sql));
    expect(store.startup.ok).toBe(false);
    expect(store.startup.chain).toMatchObject({ ok: false, brokenAt });
    // Reported, never repaired: the same break is found again.
    expect(store.verifyChain()).toEqual(store.startup.chain);
    store.close();
  });
});
