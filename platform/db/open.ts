/**
 * Opens the platform database and brings its schema up to date.
 *
 * - `{ dataDir }`: PGlite (PostgreSQL in WASM) in `<dataDir>/pgdata`, locked against a
 *   second process; `dataDir: undefined` keeps it in memory (tests, throwaway demos).
 * - `{ databaseUrl }`: a PostgreSQL server through a pg Pool (production).
 * - `{ pglite }`: an instance made by createPglite that the caller owns and closes (test
 *   support shares one per suite, a schema per test).
 * `schema` puts every table in that schema (search_path): test isolation, shared servers.
 *
 * int8 columns are read as safe-integer numbers, failing loudly beyond 2^53 (db/bigint.ts).
 * Close with `db.destroy()`: it closes the pool or PGlite and releases the folder lock.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { CompiledQuery, Kysely, PGliteDialect, PostgresDialect, type Dialect } from 'kysely';
import pg from 'pg';
import { DatabaseSetupError } from '../errors';
import { INT8_OID, parseInt8 } from './bigint';
import { lockDataDir } from './data-dir-lock';
import { rememberDatabaseInfo, type DatabaseInfo } from './info';
import { migrateToLatest, type NamedMigration } from './migrate';
import type { PlatformDatabase } from './schema';

export type DatabaseLocation =
  | { readonly dataDir: string | undefined; readonly schema?: string }
  | { readonly databaseUrl: string; readonly schema?: string; readonly poolSize?: number }
  | { readonly pglite: PGlite; readonly schema?: string };

export interface OpenOptions {
  /**
   * Migrations to bring the schema to (platformMigrations(units) for a platform's units);
   * `false`: none. No default: which units exist is the composition root's to say.
   */
  readonly migrations: readonly NamedMigration[] | false;
  /** Errors of idle pooled connections (the next query fails anyway); default: stderr. */
  readonly onPoolError?: (error: Error) => void;
}

/** A PGlite that reads int8 the platform's way; `dataDir` undefined: in memory. */
export function createPglite(dataDir?: string): PGlite {
  return new PGlite({
    ...(dataDir === undefined ? {} : { dataDir }),
    parsers: { [INT8_OID]: parseInt8 },
  });
}

/** The same PGlite, with `close` replaced (borrowed: no-op; owned: also release the lock). */
function withClose(instance: PGlite, close: () => Promise<void>): PGlite {
  return new Proxy(instance, {
    get(target, property) {
      if (property === 'close') return close;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
    },
  });
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

function searchPath(schema: string | undefined) {
  if (schema === undefined) return undefined;
  if (!SCHEMA_NAME.test(schema)) {
    throw new DatabaseSetupError('bad_location', `schema name ${schema} is not [a-z_][a-z0-9_]*`);
  }
  // The name is checked above, so quoting it is enough.
  const statement = CompiledQuery.raw(`set search_path to "${schema}"`);
  return async (connection: { executeQuery: (query: CompiledQuery) => Promise<unknown> }) => {
    await connection.executeQuery(statement);
  };
}

function pgliteDialect(location: DatabaseLocation): { dialect: Dialect; info: DatabaseInfo } {
  const onCreateConnection = searchPath(location.schema);
  const dialect = (pglite: PGlite) => new PGliteDialect({ pglite, onCreateConnection });
  const info = (where: string): DatabaseInfo => ({
    kind: 'pglite',
    where,
    schema: location.schema,
  });
  if ('pglite' in location) {
    const instance = withClose(location.pglite, () => Promise.resolve());
    return { dialect: dialect(instance), info: info('borrowed PGlite') };
  }
  if (!('dataDir' in location) || location.dataDir === undefined) {
    return { dialect: dialect(createPglite()), info: info('memory') };
  }
  const dataDir = location.dataDir;
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const release = lockDataDir(dataDir);
  try {
    const instance = createPglite(join(dataDir, 'pgdata'));
    const owned = withClose(instance, () => instance.close().finally(release));
    return { dialect: dialect(owned), info: info(dataDir) };
  } catch (error) {
    release();
    throw error;
  }
}

// Per pool, not pg's global registry: other pg users in the process keep their parsers.
const platformTypes = new pg.TypeOverrides();
platformTypes.setTypeParser(INT8_OID, parseInt8);

function postgresDialect(
  location: Extract<DatabaseLocation, { databaseUrl: string }>,
  onPoolError: (error: Error) => void,
): { dialect: Dialect; info: DatabaseInfo } {
  let url: URL;
  try {
    url = new URL(location.databaseUrl);
  } catch {
    throw new DatabaseSetupError('bad_location', 'DATABASE_URL is not a URL');
  }
  const pool = new pg.Pool({
    connectionString: location.databaseUrl,
    max: location.poolSize ?? 10,
    types: platformTypes,
  });
  pool.on('error', onPoolError);
  const onCreateConnection = searchPath(location.schema);
  const where = `${url.hostname}:${url.port || '5432'}${url.pathname}`;
  return {
    dialect: new PostgresDialect({ pool, onCreateConnection }),
    info: { kind: 'postgres', where, schema: location.schema },
  };
}

export async function openDatabase(
  location: DatabaseLocation,
  options: OpenOptions,
): Promise<Kysely<PlatformDatabase>> {
  const onPoolError =
    options.onPoolError ??
    ((error: Error) => process.stderr.write(`platform database pool: ${error.message}\n`));
  const { dialect, info } =
    'databaseUrl' in location ? postgresDialect(location, onPoolError) : pgliteDialect(location);
  const db = new Kysely<PlatformDatabase>({ dialect });
  rememberDatabaseInfo(db, info);
  const { migrations } = options;
  try {
    if (info.schema !== undefined) {
      await db.executeQuery(CompiledQuery.raw(`create schema if not exists "${info.schema}"`));
    }
    if (migrations !== false) await migrateToLatest(db, migrations);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return db;
}
