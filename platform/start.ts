/**
 * Opening a platform's state: database (migrated), master key and issuer keys. Shared by
 * the server, the embedded demo platform and the CLI's local commands.
 */
import { systemClock, type Clock } from './clock';
import { openDatabase, type DatabaseLocation } from './db/open';
import type { PlatformState } from './context';
import { IssuerKeys } from './keys/issuer-keys';
import { resolveMasterKey } from './keys/master-key';
import type { PlatformUnit } from './unit';
import { platformMigrations } from './db/migrations';
import { UNITS } from './units';

export interface OpenPlatformOptions {
  /** PGlite folder (also where its master.key lives); undefined: memory. */
  readonly dataDir: string | undefined;
  /** A PostgreSQL server instead of PGlite. */
  readonly databaseUrl?: string | undefined;
  readonly schema?: string;
  /** PLATFORM_MASTER_KEY's value, if set. */
  readonly masterKeyHex?: string | undefined;
  /** PLATFORM_MASTER_KEY_FILE's value, if set. */
  readonly masterKeyFile?: string | undefined;
  readonly clock?: Clock;
  readonly units?: readonly PlatformUnit[];
}

export async function openPlatform(options: OpenPlatformOptions): Promise<PlatformState> {
  const clock = options.clock ?? systemClock;
  const schema = options.schema === undefined ? {} : { schema: options.schema };
  const location: DatabaseLocation =
    options.databaseUrl === undefined
      ? { dataDir: options.dataDir, ...schema }
      : { databaseUrl: options.databaseUrl, ...schema };
  const db = await openDatabase(location, {
    migrations: platformMigrations(options.units ?? UNITS),
  });
  try {
    const master = resolveMasterKey({
      env: options.masterKeyHex,
      file: options.masterKeyFile,
      shared: options.databaseUrl !== undefined,
      dataDir: options.dataDir,
    });
    const keys = await IssuerKeys.open({ db, clock, masterKey: master.key });
    return { db, keys, clock, masterKeyOrigin: master.origin, close: () => db.destroy() };
  } catch (error) {
    await db.destroy();
    throw error;
  }
}
