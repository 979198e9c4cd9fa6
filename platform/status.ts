/** A summary of a platform's state, for `npm run platform -- status` and GET /v1/operator/status. */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { appliedMigrations } from './db/migrate';
import { databaseInfo } from './db/info';
import type { PlatformDatabase } from './db/schema';
import type { IssuerKeys } from './keys/issuer-keys';

export const PlatformStatus = z.object({
  database: z.object({ kind: z.string(), where: z.string(), schema: z.string().nullable() }),
  schemaVersion: z.string().nullable().describe('the newest applied migration'),
  migrationsApplied: z.number().int(),
  issuerKeys: z.array(
    z.object({
      keyId: z.string(),
      active: z.boolean(),
      createdAt: z.number().int(),
      retiredAt: z.number().int().nullable(),
    }),
  ),
  counts: z.object({
    accounts: z.number().int(),
    wallets: z.number().int(),
    merchants: z.number().int(),
    terminals: z.number().int(),
    operatorTokens: z.number().int(),
  }),
});
export type PlatformStatus = z.infer<typeof PlatformStatus>;

type CountedTable = 'accounts' | 'wallets' | 'merchants' | 'terminals' | 'operator_tokens';

async function count(db: Kysely<PlatformDatabase>, table: CountedTable): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function platformStatus(
  db: Kysely<PlatformDatabase>,
  keys: IssuerKeys,
): Promise<PlatformStatus> {
  const info = databaseInfo(db);
  const applied = await appliedMigrations(db);
  return {
    database: {
      kind: info?.kind ?? 'unknown',
      where: info?.where ?? 'unknown',
      schema: info?.schema ?? null,
    },
    schemaVersion: applied.at(-1) ?? null,
    migrationsApplied: applied.length,
    issuerKeys: (await keys.list()).map((key) => ({
      keyId: key.keyIdHex,
      active: key.isActive,
      createdAt: key.createdAt,
      retiredAt: key.retiredAt,
    })),
    counts: {
      accounts: await count(db, 'accounts'),
      wallets: await count(db, 'wallets'),
      merchants: await count(db, 'merchants'),
      terminals: await count(db, 'terminals'),
      operatorTokens: await count(db, 'operator_tokens'),
    },
  };
}
