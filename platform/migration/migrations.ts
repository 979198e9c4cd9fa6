/** Wallet migrations (0450): old wallet → new wallet, with the risk hold and its release. */
import type { NamedMigration } from '../db/migrate';

export const walletMigrationTables: NamedMigration = {
  name: '0450_wallet_migrations',
  statements: [
    `create table wallet_migrations (
      old_wallet_id bytea primary key references wallets (wallet_id),
      new_wallet_id bytea not null unique references wallets (wallet_id),
      account_id text not null references accounts (account_id),
      moved bigint not null check (moved >= 0),
      held bigint not null check (held >= 0),
      migrated_at bigint not null check (migrated_at >= 0),
      hold_until bigint not null check (hold_until >= migrated_at),
      released_at bigint check (released_at >= migrated_at),
      released bigint check (released >= 0),
      check ((released_at is null) = (released is null)),
      check (old_wallet_id <> new_wallet_id)
    )`,
    `create index wallet_migrations_open on wallet_migrations (hold_until) where released_at is null`,
  ],
};
