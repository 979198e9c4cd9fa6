/**
 * The migration registry: every migration the platform knows, in the order they apply.
 * Core migrations (0001-0099) are listed here; each unit brings its own (`unit.migrations`,
 * numbered in its hundred: 0100 accounts, 0200 activation, ...) and is listed in units.ts.
 * The combined list must be strictly increasing, which checkMigrationList enforces, so the
 * order is the same on every database whatever order units are listed in.
 *
 * A released migration is never edited or renumbered: databases remember names, and a
 * name they have that this list lacks makes the platform refuse them as "newer".
 */
import { coreTables } from './core/0001_core';
import { ledgerTables } from './core/0002_ledger';
import { auditAndSecurityTables } from './core/0003_audit_security';
import { fastChecks } from './core/0004_fast_checks';
import { bootstrapTokens } from './core/0005_bootstrap_tokens';
import { ledgerBalances } from './core/0006_ledger_balances';
import { checkMigrationList, type NamedMigration } from './migrate';

export const CORE_MIGRATIONS: readonly NamedMigration[] = [
  coreTables,
  ledgerTables,
  auditAndSecurityTables,
  fastChecks,
  bootstrapTokens,
  ledgerBalances,
];

/**
 * Core migrations, then the given units', sorted by name and checked. The units are the
 * caller's (the composition root passes units.ts's list): db/ never reaches up to them.
 */
export function platformMigrations(
  units: readonly { readonly migrations: readonly NamedMigration[] }[],
): readonly NamedMigration[] {
  const all = [...CORE_MIGRATIONS, ...units.flatMap((unit) => unit.migrations)].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  checkMigrationList(all);
  return all;
}
