/** What a Kysely instance was opened on, for status reports (never with a password). */
import type { Kysely } from 'kysely';

export interface DatabaseInfo {
  readonly kind: 'pglite' | 'postgres';
  /** A folder, 'memory', 'borrowed PGlite', or host:port/database. */
  readonly where: string;
  readonly schema: string | undefined;
}

const infoByDb = new WeakMap<object, DatabaseInfo>();

export function rememberDatabaseInfo<DB>(db: Kysely<DB>, info: DatabaseInfo): void {
  infoByDb.set(db, info);
}

/** What openDatabase opened; undefined for a Kysely made elsewhere. */
export function databaseInfo<DB>(db: Kysely<DB>): DatabaseInfo | undefined {
  return infoByDb.get(db);
}
