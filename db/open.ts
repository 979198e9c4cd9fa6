/**
 * Opens the terminal's ledger: one process writes it (exclusive locking), every commit is
 * durable before it returns (WAL + synchronous=FULL), and the schema is migrated to this
 * code's version — or the file is refused, untouched, when it is newer or not a ledger.
 */
import Database from 'better-sqlite3';
import { LedgerError, toLedgerError } from './errors';
import { LEDGER_APPLICATION_ID } from './migrations/0001_ledger';
import { assertNotNewer, migrate, userVersion } from './migrations';

export interface OpenLedgerOptions {
  /** How long to wait for a lock held by another connection, in ms. */
  busyTimeoutMs?: number;
}

export function openLedger(path: string, options: OpenLedgerOptions = {}): Database.Database {
  let db: Database.Database;
  try {
    db = new Database(path, { timeout: options.busyTimeoutMs ?? 2_000 });
  } catch (error) {
    throw toLedgerError(error, `opening ${path}`);
  }
  try {
    // Before any read: the lock taken next is then kept, so no second process can write.
    db.pragma('locking_mode = EXCLUSIVE');
    const version = userVersion(db);
    assertNotNewer(version);
    assertOurs(db, version);
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw new LedgerError('io', `journal_mode is ${String(mode)}, not wal`);
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.exec('BEGIN IMMEDIATE; COMMIT');
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw toLedgerError(error, `opening ${path}`);
  }
}

/**
 * Opens the ledger read-only for a look (is a terminal enrolled in this folder?): no
 * migration, no start-up check, nothing written. The terminal that opens it next makes the
 * full checks, once. Refuses a newer ledger or a file that is not one, as openLedger does.
 */
export function peekLedger<T>(path: string, read: (db: Database.Database) => T): T {
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw toLedgerError(error, `opening ${path}`);
  }
  try {
    const version = userVersion(db);
    assertNotNewer(version);
    assertOurs(db, version);
    return read(db);
  } catch (error) {
    throw toLedgerError(error, `reading ${path}`);
  } finally {
    db.close();
  }
}

/** A SQLite file of someone else's (tables but no version, or another application id). */
function assertOurs(db: Database.Database, version: number): void {
  const applicationId = db.pragma('application_id', { simple: true }) as number;
  const tables = db.prepare('SELECT count(*) AS n FROM sqlite_schema').get() as { n: number };
  const ours =
    version === 0 ? applicationId === 0 && tables.n === 0 : applicationId === LEDGER_APPLICATION_ID;
  if (!ours) throw new LedgerError('not_a_ledger', 'a SQLite database, but not a Tapsafe ledger');
}
