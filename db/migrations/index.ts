/**
 * Numbered migrations: the database's `PRAGMA user_version` is the number of the last one
 * applied. Each runs in its own transaction with the version set inside it, so a crash
 * leaves the database at one version or the next, never between.
 */
import type Database from 'better-sqlite3';
import { LedgerError } from '../errors';
import { sql as ledger0001 } from './0001_ledger';
import { sql as tapEvidence0002 } from './0002_tap_evidence';
import { sql as terminal0003 } from './0003_terminal';
import { sql as settlementResults0004 } from './0004_settlement_results';
import { sql as zReports0005 } from './0005_z_reports';
import { sql as settings0006 } from './0006_settings';
import { sql as paymentChecks0007 } from './0007_payment_checks';

const MIGRATIONS: readonly string[] = [
  ledger0001,
  tapEvidence0002,
  terminal0003,
  settlementResults0004,
  zReports0005,
  settings0006,
  paymentChecks0007,
];

/** The schema version this code writes. */
export const LEDGER_VERSION = MIGRATIONS.length;

export function userVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Refuses a database from a newer version of the terminal, before touching it. */
export function assertNotNewer(found: number): void {
  if (found > LEDGER_VERSION) {
    throw new LedgerError(
      'newer_version',
      `the ledger is at version ${found}, this terminal knows up to ${LEDGER_VERSION}`,
      { found, supported: LEDGER_VERSION },
    );
  }
}

export function migrate(db: Database.Database): void {
  assertNotNewer(userVersion(db));
  for (let version = userVersion(db); version < LEDGER_VERSION; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version] as string);
      db.pragma(`user_version = ${version + 1}`);
    }).immediate();
  }
}
