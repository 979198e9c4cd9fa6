import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backupLedger, restoreLedger } from '../../db/backup';
import { isLedgerError } from '../../db/errors';
import { LedgerStore } from '../../db/ledger-store';
import { LEDGER_VERSION } from '../../db/migrations';
import { newWallet, record, thrown, useTempDir } from './support/ledger';

const tempDir = useTempDir('ledger-backup');

describe('backup and restore', () => {
  it('backs up while payments keep being committed, and restores that backup', async () => {
    const dir = tempDir();
    const live = join(dir, 'ledger.db');
    const store = LedgerStore.open(live);
    const w = newWallet();
    let counter = 0;
    for (; counter < 200;) store.appendPayment(record(w, ++counter), counter);
    // Writes between the backup's steps: the backup API restarts or follows them.
    const writing = setInterval(() => store.appendPayment(record(w, ++counter), counter), 0);
    await backupLedger(store, join(dir, 'backup.db'), 1);
    clearInterval(writing);
    expect(counter).toBeGreaterThan(200); // payments were committed while it ran
    const backedUp = LedgerStore.open(join(dir, 'backup.db'));
    expect(backedUp.startup.ok).toBe(true);
    const atBackup = backedUp.chainHead();
    backedUp.close();
    expect(atBackup.seq).toBeGreaterThanOrEqual(200);
    expect(atBackup.seq).toBeLessThanOrEqual(counter);

    store.appendPayment(record(w, ++counter), counter);
    store.close();
    restoreLedger(live, join(dir, 'backup.db'), 42);
    const restored = LedgerStore.open(live);
    expect(restored.startup.ok).toBe(true);
    expect(restored.chainHead()).toEqual(atBackup);
    restored.close();
    expect(existsSync(`${live}.before-restore-42`)).toBe(true);
  });

  async function backupThen(tamper: (raw: Database.Database) => void) {
    const dir = tempDir();
    const live = join(dir, 'ledger.db');
    const store = LedgerStore.open(live);
    const w = newWallet();
    for (let c = 1; c <= 5; c++) store.appendPayment(record(w, c), c);
    await backupLedger(store, join(dir, 'backup.db'));
    const head = store.chainHead();
    store.close();
    const raw = new Database(join(dir, 'backup.db'));
    tamper(raw);
    raw.close();
    let error: unknown;
    try {
      restoreLedger(live, join(dir, 'backup.db'));
    } catch (e) {
      error = e;
    }
    const after = LedgerStore.open(live);
    expect(after.chainHead()).toEqual(head); // the live ledger is untouched
    after.close();
    return error;
  }

  it('refuses to restore over a ledger still open, which keeps its payments', async () => {
    const dir = tempDir();
    const live = join(dir, 'ledger.db');
    const store = LedgerStore.open(live);
    const w = newWallet();
    store.appendPayment(record(w, 1), 1);
    await backupLedger(store, join(dir, 'backup.db'), 1);
    store.appendPayment(record(w, 2), 2);
    const error = thrown(() => restoreLedger(live, join(dir, 'backup.db')));
    expect(isLedgerError(error, 'in_use')).toBe(true);
    store.appendPayment(record(w, 3), 3); // still the live file
    const head = store.chainHead();
    store.close();
    const after = LedgerStore.open(live);
    expect(after.chainHead()).toEqual(head);
    after.close();
  });

  it('refuses a tampered backup', async () => {
    const error = await backupThen((raw) => raw.exec('UPDATE payments SET amount = 1'));
    expect(isLedgerError(error, 'corrupt')).toBe(true);
  });

  it('refuses a backup from a newer version', async () => {
    const error = await backupThen((raw) => raw.pragma(`user_version = ${LEDGER_VERSION + 1}`));
    expect(isLedgerError(error, 'newer_version')).toBe(true);
  });

  it('refuses a backup that is not a ledger', async () => {
    const error = await backupThen((raw) => {
      raw.exec('PRAGMA writable_schema = ON');
      raw.pragma('application_id = 7');
    });
    expect(isLedgerError(error, 'not_a_ledger')).toBe(true);
  });
});
