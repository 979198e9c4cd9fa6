import { sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { DatabaseSetupError } from '../../platform/errors';
import { UnsafeIntegerError } from '../../platform/db/bigint';
import {
  appliedMigrations,
  checkMigrationList,
  migrateToLatest,
  type NamedMigration,
} from '../../platform/db/migrate';
import { CORE_MIGRATIONS, platformMigrations } from '../../platform/db/migrations';
import { UNITS } from '../../platform/units';
import { backends, useTestDatabases } from './support/databases';
import { insertWallet } from './support/fixtures';

async function tableExists<DB>(db: Kysely<DB>, name: string): Promise<boolean> {
  const result = await sql<{ found: string | null }>`select to_regclass(${name}) as found`.execute(
    db,
  );
  return typeof result.rows[0]?.found === 'string';
}

describe.each(backends())('migrations on %s', (backend) => {
  const databases = useTestDatabases(backend);

  it('creates the core tables and records every migration', async () => {
    const db = await databases.fresh();
    expect(await appliedMigrations(db)).toEqual(platformMigrations(UNITS).map((m) => m.name));
    for (const table of [
      'platform_keys',
      'accounts',
      'wallets',
      'terminals',
      'merchants',
      'ledger_entries',
      'audit_log',
    ]) {
      expect(await tableExists(db, table), table).toBe(true);
    }
  });

  it('is a no-op when run again', async () => {
    const db = await databases.fresh();
    const outcome = await migrateToLatest(db, platformMigrations(UNITS));
    expect(outcome.applied).toEqual([]);
    expect(outcome.version).toBe(platformMigrations(UNITS).at(-1)?.name);
  });

  it('applies only the new migrations of a newer version', async () => {
    const db = await databases.fresh({ migrations: CORE_MIGRATIONS });
    const next: NamedMigration = {
      name: '9000_probe',
      statements: ['create table probe (id int)'],
    };
    const outcome = await migrateToLatest(db, [...CORE_MIGRATIONS, next]);
    expect(outcome.applied).toEqual(['9000_probe']);
    expect(await tableExists(db, 'probe')).toBe(true);
  });

  it('refuses a database that has a migration this code does not know, changing nothing', async () => {
    const db = await databases.fresh({ migrations: CORE_MIGRATIONS });
    await sql`insert into platform_migrations (name, timestamp) values ('9999_from_the_future', '2030-01-01')`.execute(
      db,
    );
    const pending: NamedMigration = {
      name: '9000_pending',
      statements: ['create table pending (id int)'],
    };
    const refused = migrateToLatest(db, [...CORE_MIGRATIONS, pending]);
    await expect(refused).rejects.toBeInstanceOf(DatabaseSetupError);
    await expect(refused).rejects.toMatchObject({ code: 'newer_database' });
    await expect(refused).rejects.toThrow(/9999_from_the_future/);
    expect(await tableExists(db, 'pending')).toBe(false);
  });

  it("upgrades a database with a unit's new migration numbered below one already applied", async () => {
    const later: NamedMigration = { name: '0700_b', statements: ['create table b (id int)'] };
    const db = await databases.fresh({ migrations: [...CORE_MIGRATIONS, later] });
    // The next release adds 0601 to another unit, after 0700 ran on this database.
    const added: NamedMigration = {
      name: '0601_a',
      statements: ['create table a (id int)', 'insert into b values (1)'],
    };
    await migrateToLatest(db, [...CORE_MIGRATIONS, added, later]);
    expect(await tableExists(db, 'a')).toBe(true);
    const rows = await sql<{ n: number }>`select count(*)::int as n from b`.execute(db);
    expect(rows.rows[0]?.n).toBe(1);
    // Running again changes nothing.
    await migrateToLatest(db, [...CORE_MIGRATIONS, added, later]);
    const again = await sql<{ n: number }>`select count(*)::int as n from b`.execute(db);
    expect(again.rows[0]?.n).toBe(1);
  });

  it('rolls back every pending migration when one fails', async () => {
    const db = await databases.fresh({ migrations: CORE_MIGRATIONS });
    const good: NamedMigration = { name: '9000_good', statements: ['create table good (id int)'] };
    const bad: NamedMigration = {
      name: '9001_bad',
      statements: ['create table bad (id int)', 'select no_such_function()'],
    };
    const failing = migrateToLatest(db, [...CORE_MIGRATIONS, good, bad]);
    await expect(failing).rejects.toMatchObject({ code: 'migration_failed' });
    await expect(failing).rejects.toThrow(/9001_bad/);
    expect(await tableExists(db, 'good')).toBe(false);
    expect(await tableExists(db, 'bad')).toBe(false);
    expect(await appliedMigrations(db)).toEqual(CORE_MIGRATIONS.map((m) => m.name));
  });

  it('reads int8 exactly up to 2^53 - 1 and fails loudly beyond', async () => {
    const db = await databases.fresh({ migrations: false });
    const max = await sql<{ v: number }>`select 9007199254740991::int8 as v`.execute(db);
    expect(max.rows[0]?.v).toBe(Number.MAX_SAFE_INTEGER);
    const negative = await sql<{ v: number }>`select (-42)::int8 as v`.execute(db);
    expect(negative.rows[0]?.v).toBe(-42);
    await expect(sql`select 9007199254740992::int8 as v`.execute(db)).rejects.toBeInstanceOf(
      UnsafeIntegerError,
    );
  });

  it('enforces the core tables’ check constraints', async () => {
    const db = await databases.fresh();
    const wallet = await insertWallet(db);
    await expect(
      db
        .updateTable('wallets')
        .set({ status: 'frozen' as 'active' })
        .where('wallet_id', '=', wallet.walletId)
        .execute(),
    ).rejects.toMatchObject({ code: '23514' });
    await expect(
      db
        .insertInto('merchants')
        .values({ merchant_id: 'bad id!', name: 'x', created_at: 1 })
        .execute(),
    ).rejects.toMatchObject({ code: '23514' });
    // One wallet that can still pay per account.
    await expect(insertWallet(db, { accountId: wallet.accountId })).rejects.toMatchObject({
      code: '23505',
    });
    await expect(
      insertWallet(db, { accountId: wallet.accountId, status: 'migrated' }),
    ).resolves.toBeDefined();
  });
});

describe('migration list rules', () => {
  it('refuses malformed, duplicate and out-of-order names', () => {
    const m = (name: string): NamedMigration => ({ name, statements: [] });
    expect(() => checkMigrationList([m('0001_ok'), m('0100_fine')])).not.toThrow();
    expect(() => checkMigrationList([m('1_short')])).toThrow(DatabaseSetupError);
    expect(() => checkMigrationList([m('0001_Upper')])).toThrow(/NNNN_words/);
    expect(() => checkMigrationList([m('0001_a'), m('0001_a')])).toThrow(/increasing/);
    expect(() => checkMigrationList([m('0002_a'), m('0001_b')])).toThrow(/increasing/);
  });

  it('orders unit migrations among the core ones by number', () => {
    const unit = {
      migrations: [
        { name: '0100_accounts', statements: [] },
        { name: '0002_5_between', statements: [] },
      ],
    };
    expect(platformMigrations([unit]).map((m) => m.name)).toEqual([
      '0001_core',
      '0002_5_between',
      '0002_ledger',
      '0003_audit_security',
      '0004_fast_checks',
      '0005_bootstrap_tokens',
      '0006_ledger_balances',
      '0100_accounts',
    ]);
    expect(() => platformMigrations([unit, unit])).toThrow(/increasing/);
  });
});
