/** The hotlist (migration 0400): revoked wallets, each with the version that listed it. */
import { sql, type Kysely } from 'kysely';
import type { NamedMigration } from '../db/migrate';
import { certificateValidUntil } from './prune';

export const hotlistTables: NamedMigration = {
  name: '0400_hotlist',
  statements: [
    // One row whose lock orders every new entry: versions are handed out in commit order,
    // so a terminal holding version N can never later miss an entry numbered below N.
    `create table hotlist_state (
      singleton boolean primary key default true check (singleton),
      version bigint not null check (version >= 0)
    )`,
    `insert into hotlist_state (singleton, version) values (true, 0)`,
    `create table hotlist_entries (
      version bigint primary key check (version >= 1),
      wallet_id bytea not null unique references wallets (wallet_id),
      reason text not null
        check (reason in ('lost', 'stolen', 'double_spend', 'migrated', 'closed')),
      revoked_at bigint not null check (revoked_at >= 0)
    )`,
  ],
};

/**
 * Hotlist pruning (0410, prune.ts): each entry keeps its certificate's end of validity, so
 * expired ones can leave the list; pruned_version is the version of the latest prune
 * (deltas from before it are answered with a full list). Entries listed before this
 * migration take the end of validity from their wallet's certificate; one that does not
 * decode stays null and is never pruned.
 */
export const hotlistExpiry: NamedMigration = {
  name: '0410_hotlist_certificate_expiry',
  async up(db: Kysely<unknown>) {
    await sql`alter table hotlist_entries add column certificate_valid_until bigint
      check (certificate_valid_until >= 0)`.execute(db);
    await sql`create index hotlist_entries_expiry on hotlist_entries (certificate_valid_until)`.execute(
      db,
    );
    await sql`alter table hotlist_state add column pruned_version bigint not null default 0
      check (pruned_version >= 0)`.execute(db);
    await sql`alter table hotlist_state add constraint hotlist_pruned_not_ahead
      check (pruned_version <= version)`.execute(db);
    const { rows } = await sql<{ version: string; certificate: Uint8Array }>`
      select h.version, w.certificate
      from hotlist_entries h join wallets w on w.wallet_id = h.wallet_id`.execute(db);
    for (const row of rows) {
      const validUntil = certificateValidUntil(row.certificate);
      if (validUntil === null) continue;
      await sql`update hotlist_entries set certificate_valid_until = ${validUntil}
        where version = ${row.version}`.execute(db);
    }
  },
};
