/** The hotlist (migration 0400): revoked wallets, each with the version that listed it. */
import type { NamedMigration } from '../db/migrate';

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
