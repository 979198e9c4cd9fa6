/**
 * Databases for platform tests: every suite runs against PGlite and, when TEST_DATABASE_URL
 * names a PostgreSQL database, against PostgreSQL too. In CI (CI=true) a missing
 * TEST_DATABASE_URL is an error, not a skip, so PostgreSQL can never silently go untested
 * (scripts/ci/postgres.sh starts a throwaway server and prints the URL).
 *
 *   describe.each(backends())('ledger on %s', (backend) => {
 *     const databases = useTestDatabases(backend);
 *     it('…', async () => {
 *       const db = await databases.fresh(); // own schema, migrated, dropped after the suite
 *     });
 *   });
 *
 * Each fresh() is a new schema (search_path) — on PGlite inside one instance per suite,
 * because starting PGlite costs seconds. A test uses one database at a time: fresh() and
 * reopen() close the ones made before (a PGlite instance has a single session).
 */
import { randomBytes } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { afterAll } from 'vitest';
import type { NamedMigration } from '../../../platform/db/migrate';
import { platformMigrations } from '../../../platform/db/migrations';
import { createPglite, openDatabase } from '../../../platform/db/open';
import type { PlatformDatabase } from '../../../platform/db/schema';
import { UNITS } from '../../../platform/units';

export type Backend = 'pglite' | 'postgres';

const inCi = (): boolean => ['true', '1'].includes((process.env.CI ?? '').toLowerCase());

export function backends(): Backend[] {
  if (process.env.TEST_DATABASE_URL) return ['pglite', 'postgres'];
  if (inCi()) {
    throw new Error(
      'CI is set but TEST_DATABASE_URL is not: start PostgreSQL with scripts/ci/postgres.sh ' +
        'and export the URL it prints (platform tests must run on PostgreSQL in CI)',
    );
  }
  return ['pglite'];
}

export interface TestDatabase {
  readonly db: Kysely<PlatformDatabase>;
  readonly schema: string;
}

export interface TestDatabases {
  readonly backend: Backend;
  /** A new schema with the given migrations applied (default: all of the platform's). */
  fresh(options?: {
    migrations?: readonly NamedMigration[] | false;
  }): Promise<Kysely<PlatformDatabase>>;
  /** The same schema through a new connection, as after a platform restart. Close `db` first. */
  reopen(
    db: Kysely<PlatformDatabase>,
    options?: { migrations?: readonly NamedMigration[] | false },
  ): Promise<Kysely<PlatformDatabase>>;
}

/** Registers afterAll cleanup in the calling describe block. */
export function useTestDatabases(backend: Backend): TestDatabases {
  let pglite: PGlite | undefined;
  const open: Kysely<PlatformDatabase>[] = [];
  const schemaOf = new WeakMap<Kysely<PlatformDatabase>, string>();
  const schemas: string[] = [];

  async function connect(
    schema: string,
    migrations: readonly NamedMigration[] | false | undefined,
  ) {
    const options = { migrations: migrations ?? platformMigrations(UNITS) };
    // One database at a time: on PGlite the previous one would run under the new
    // search_path (one session), on PostgreSQL its pool would hold connections.
    await Promise.all(open.splice(0).map((other) => other.destroy()));
    let db: Kysely<PlatformDatabase>;
    if (backend === 'pglite') {
      pglite ??= createPglite();
      db = await openDatabase({ pglite, schema }, options);
    } else {
      db = await openDatabase(
        { databaseUrl: process.env.TEST_DATABASE_URL ?? '', schema, poolSize: 4 },
        options,
      );
    }
    open.push(db);
    schemaOf.set(db, schema);
    return db;
  }

  afterAll(async () => {
    await Promise.all(open.splice(0).map((db) => db.destroy()));
    if (backend === 'postgres' && schemas.length > 0) {
      const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await admin.connect();
      try {
        for (const schema of schemas)
          await admin.query(`drop schema if exists "${schema}" cascade`);
      } finally {
        await admin.end();
      }
    }
    await pglite?.close();
  });

  return {
    backend,
    async fresh(options = {}) {
      const schema = `t_${process.pid}_${randomBytes(4).toString('hex')}`;
      schemas.push(schema);
      return connect(schema, options.migrations);
    },
    async reopen(db, options = {}) {
      const schema = schemaOf.get(db);
      if (schema === undefined) throw new Error('reopen() takes a database made by fresh()');
      const index = open.indexOf(db);
      if (index >= 0) open.splice(index, 1);
      return connect(schema, options.migrations);
    },
  };
}
