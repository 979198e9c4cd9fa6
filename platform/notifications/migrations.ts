/** Notifications: signed, sequence-numbered messages to one wallet (claims 9, 11). */
import type { NamedMigration } from '../db/migrate';

export const notificationTables: NamedMigration = {
  name: '0600_notifications',
  statements: [
    `create table notifications (
      wallet_id bytea not null references wallets (wallet_id),
      sequence bigint not null check (sequence >= 1),
      type text not null check (type in
        ('lock', 'disable', 'wipe', 'unlock', 'balance_update', 'top_up', 'migrate_out')),
      envelope bytea not null,
      created_at bigint not null check (created_at >= 0),
      acknowledged_at bigint check (acknowledged_at >= created_at),
      primary key (wallet_id, sequence)
    )`,
  ],
};

/**
 * Wallets whose balance changed (settlement) since their last balance_update: the next
 * sync or push signs one (balance-due.ts). At most one row per wallet.
 */
export const balanceNoticesDue: NamedMigration = {
  name: '0601_balance_notices_due',
  statements: [
    `create table balance_notices_due (
      wallet_id bytea primary key references wallets (wallet_id),
      since bigint not null check (since >= 0)
    )`,
  ],
};

/** suspend_terminal notices (type 08): they name a terminal certificate serial. */
export const suspendTerminalNotices: NamedMigration = {
  name: '0602_suspend_terminal_notices',
  statements: [
    `alter table notifications drop constraint notifications_type_check`,
    `alter table notifications add constraint notifications_type_check check (type in
      ('lock', 'disable', 'wipe', 'unlock', 'balance_update', 'top_up', 'migrate_out',
       'suspend_terminal'))`,
  ],
};
