import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isLedgerError } from '../../db/errors';
import { LedgerStore } from '../../db/ledger-store';
import { LEDGER_VERSION } from '../../db/migrations';
import { openLedger } from '../../db/open';
import { thrown, useTempDir } from './support/ledger';

const tempDir = useTempDir('ledger-open');

describe('openLedger', () => {
  it('migrates an empty file to the current version with STRICT tables', () => {
    const db = openLedger(join(tempDir(), 'ledger.db'));
    expect(db.pragma('user_version', { simple: true })).toBe(LEDGER_VERSION);
    const tables = db
      .prepare(
        `SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND name NOT LIKE 'sqlite_%'`,
      )
      .all() as { name: string; strict: number }[];
    expect(tables.map((t) => t.name).sort()).toEqual([
      'chain_tip',
      'evidence_records',
      'payment_checks',
      'payments',
      'pending_requests',
      'settings',
      'settlement_batches',
      'settlement_results',
      'terminal_certificates',
      'terminal_identity',
      'trust_keys',
      'voids',
      'wallet_counters',
      'z_reports',
    ]);
    expect(tables.every((t) => t.strict === 1)).toBe(true);
    db.close();
  });

  it('sets WAL, synchronous=FULL, foreign keys and exclusive locking (read back)', () => {
    const db = openLedger(join(tempDir(), 'ledger.db'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('locking_mode', { simple: true })).toBe('exclusive');
    db.close();
  });

  it('opens again at the same version without migrating twice', () => {
    const path = join(tempDir(), 'ledger.db');
    openLedger(path).close();
    const db = openLedger(path);
    expect(db.pragma('user_version', { simple: true })).toBe(LEDGER_VERSION);
    db.close();
  });

  it('refuses a second writer while the ledger is open', () => {
    const path = join(tempDir(), 'ledger.db');
    const first = openLedger(path);
    const error = thrown(() => openLedger(path, { busyTimeoutMs: 50 }));
    expect(isLedgerError(error, 'in_use')).toBe(true);
    first.close();
  });

  it('refuses a ledger from a newer version, naming both versions, and leaves it untouched', () => {
    const path = join(tempDir(), 'ledger.db');
    openLedger(path).close();
    const raw = new Database(path);
    raw.pragma(`user_version = ${LEDGER_VERSION + 1}`);
    raw.pragma('journal_mode = DELETE');
    raw.close();
    const error = thrown(() => openLedger(path));
    expect(isLedgerError(error, 'newer_version')).toBe(true);
    expect((error as { details: unknown }).details).toEqual({
      found: LEDGER_VERSION + 1,
      supported: LEDGER_VERSION,
    });
    const after = new Database(path, { readonly: true });
    expect(after.pragma('journal_mode', { simple: true })).toBe('delete');
    after.close();
  });

  it('refuses a file that is not a SQLite database', () => {
    const path = join(tempDir(), 'ledger.db');
    writeFileSync(path, Buffer.alloc(8192, 0x41));
    expect(
      isLedgerError(
        thrown(() => openLedger(path)),
        'not_a_ledger',
      ),
    ).toBe(true);
  });

  it("refuses someone else's SQLite database", () => {
    const path = join(tempDir(), 'other.db');
    const raw = new Database(path);
    raw.exec('CREATE TABLE notes (text TEXT)');
    raw.close();
    expect(
      isLedgerError(
        thrown(() => openLedger(path)),
        'not_a_ledger',
      ),
    ).toBe(true);
  });

  it('reports the startup checks as a typed value', () => {
    const store = LedgerStore.open(join(tempDir(), 'ledger.db'));
    expect(store.startup).toEqual({
      checked: true,
      integrity: { ok: true },
      chain: { ok: true, length: 0, head: Buffer.alloc(32) },
      ok: true,
    });
    store.close();
  });
});
