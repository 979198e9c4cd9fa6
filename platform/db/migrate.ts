/**
 * Versioned migrations through Kysely's Migrator, with the platform's rules on top:
 * - names are `NNNN_words`, globally ordered by their number (core 0001-0099, then one
 *   hundred per unit: 0100 accounts, 0200 activation, ...), see db/migrations.ts;
 * - a release may add a migration numbered below one an older release applied (a unit's
 *   0601 after another unit's 0700): pending migrations run in name order whatever was
 *   applied before, since each depends only on its own unit's and the core's earlier ones;
 * - a database that has applied a migration this code does not know comes from a newer
 *   version of the platform: it is refused (DatabaseSetupError 'newer_database') before
 *   anything is written, never "migrated" by older code;
 * - all pending migrations run in one transaction under Kysely's advisory lock, so two
 *   nodes starting at once migrate once and a failure leaves the schema as it was.
 */
import { sql, type Kysely } from 'kysely';
import { Migrator, type Migration } from 'kysely/migration';
import { DatabaseSetupError } from '../errors';

export type NamedMigration =
  | { readonly name: string; readonly statements: readonly string[] }
  | { readonly name: string; readonly up: (db: Kysely<unknown>) => Promise<void> };

export const MIGRATION_TABLE = 'platform_migrations';
export const MIGRATION_LOCK_TABLE = 'platform_migration_lock';
const MIGRATION_NAME = /^[0-9]{4}_[a-z0-9_]+$/;

/** Throws unless names are well-formed, unique and listed in increasing order. */
export function checkMigrationList(migrations: readonly NamedMigration[]): void {
  let previous = '';
  for (const { name } of migrations) {
    if (!MIGRATION_NAME.test(name)) {
      throw new DatabaseSetupError(
        'bad_migration_name',
        `migration name ${name} is not NNNN_words`,
      );
    }
    if (name <= previous) {
      throw new DatabaseSetupError(
        'bad_migration_name',
        `migration ${name} is listed after ${previous}: names must be unique and increasing`,
      );
    }
    previous = name;
  }
}

/** Names of the migrations this database has applied, in order; [] for an empty database. */
export async function appliedMigrations<DB>(db: Kysely<DB>): Promise<string[]> {
  const exists = await sql<{ found: string | null }>`
    select to_regclass(quote_ident(current_schema()) || '.' || ${MIGRATION_TABLE}) as found`.execute(
    db,
  );
  if (exists.rows[0]?.found === null || exists.rows[0]?.found === undefined) return [];
  const rows = await sql<{ name: string }>`
    select name from ${sql.table(MIGRATION_TABLE)} order by name`.execute(db);
  return rows.rows.map((row) => row.name);
}

function toKyselyMigration(migration: NamedMigration): Migration {
  if ('statements' in migration) {
    return {
      async up(db) {
        for (const statement of migration.statements) await sql.raw(statement).execute(db);
      },
    };
  }
  return { up: (db) => migration.up(db as Kysely<unknown>) };
}

export interface MigrationOutcome {
  /** Migrations applied by this call (empty when the database was up to date). */
  readonly applied: readonly string[];
  /** The newest migration the database now has. */
  readonly version: string | undefined;
}

export async function migrateToLatest<DB>(
  db: Kysely<DB>,
  migrations: readonly NamedMigration[],
): Promise<MigrationOutcome> {
  checkMigrationList(migrations);
  const known = new Set(migrations.map((migration) => migration.name));
  const unknown = (await appliedMigrations(db)).filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new DatabaseSetupError(
      'newer_database',
      `this database has migrations this version of the platform does not know ` +
        `(${unknown.join(', ')}): it was used by a newer version; run that version instead`,
    );
  }
  const schema = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const migrator = new Migrator({
    db,
    provider: {
      getMigrations: () =>
        Promise.resolve(Object.fromEntries(migrations.map((m) => [m.name, toKyselyMigration(m)]))),
    },
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
    // Explicit, so that a test schema on search_path never sees another schema's table.
    migrationTableSchema: schema.rows[0]?.schema ?? 'public',
    nameComparator: (a, b) => (a < b ? -1 : a > b ? 1 : 0),
    allowUnorderedMigrations: true,
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const message = error instanceof Error ? error.message : JSON.stringify(error);
    const failed = results.find((result) => result.status === 'Error')?.migrationName;
    throw new DatabaseSetupError(
      'migration_failed',
      failed === undefined
        ? `migrations refused: ${message}`
        : `migration ${failed} failed: ${message}`,
      { cause: error },
    );
  }
  const applied = results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
  const all = await appliedMigrations(db);
  return { applied, version: all.at(-1) };
}
