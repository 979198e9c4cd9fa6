/**
 * Core tables shared by several units: issuer keys, accounts, merchants, terminals and
 * wallets. Frozen once released: change the schema with a new migration, never by editing.
 */
import type { NamedMigration } from '../migrate';

const IDENTIFIER = `'^[A-Za-z0-9._-]{1,32}$'`; // protocol identifier(32)

export const coreTables: NamedMigration = {
  name: '0001_core',
  statements: [
    `create table platform_keys (
      key_id bytea primary key check (octet_length(key_id) = 8),
      public_key bytea not null unique check (octet_length(public_key) = 33),
      sealed_private bytea not null check (octet_length(sealed_private) > 0),
      created_at bigint not null check (created_at >= 0),
      retired_at bigint check (retired_at >= 0),
      is_active boolean not null default false,
      check (not is_active or retired_at is null)
    )`,
    // At most one active issuer key; also what makes two nodes starting at once create one.
    `create unique index platform_keys_one_active on platform_keys (is_active) where is_active`,

    `create table accounts (
      account_id text primary key check (account_id ~ ${IDENTIFIER}),
      name text not null check (char_length(name) between 1 and 200),
      password_hash text not null check (password_hash like 'scrypt$%'),
      id_number_hash text check (id_number_hash like 'scrypt$%'),
      phone_number text check (phone_number ~ '^[+]?[0-9]{4,20}$'),
      created_at bigint not null check (created_at >= 0),
      disabled boolean not null default false
    )`,

    `create table merchants (
      merchant_id text primary key check (merchant_id ~ ${IDENTIFIER}),
      name text not null check (char_length(name) between 1 and 200),
      created_at bigint not null check (created_at >= 0)
    )`,

    `create table terminals (
      terminal_id text primary key check (terminal_id ~ ${IDENTIFIER}),
      merchant_id text not null references merchants (merchant_id),
      public_key bytea not null unique check (octet_length(public_key) = 33),
      status text not null default 'active' check (status in ('active', 'suspended')),
      params jsonb not null default '{}' check (jsonb_typeof(params) = 'object'),
      enrolled_at bigint not null check (enrolled_at >= 0),
      suspended_at bigint check (suspended_at >= 0),
      check ((status = 'suspended') = (suspended_at is not null))
    )`,
    `create index terminals_by_merchant on terminals (merchant_id)`,

    `create sequence certificate_serials as bigint minvalue 1`,
    `create table wallets (
      wallet_id bytea primary key check (octet_length(wallet_id) = 16),
      account_id text not null references accounts (account_id),
      public_key bytea not null unique check (octet_length(public_key) = 33),
      binding_salt bytea not null check (octet_length(binding_salt) = 16),
      imei text not null check (imei ~ '^[0-9]{15}$'),
      imsi text not null check (imsi ~ '^[0-9]{6,15}$'),
      certificate bytea not null check (octet_length(certificate) > 0),
      serial bigint not null unique check (serial > 0),
      status text not null default 'active'
        check (status in ('active', 'locked', 'revoked', 'migrated', 'wiped')),
      currency integer not null check (currency between 1 and 999),
      limit_per_payment bigint not null check (limit_per_payment >= 0),
      limit_offline_amount bigint not null check (limit_offline_amount >= 0),
      limit_offline_count integer not null check (limit_offline_count between 0 and 65535),
      notification_seq bigint not null default 0 check (notification_seq >= 0),
      created_at bigint not null check (created_at >= 0),
      revoked_at bigint check (revoked_at >= 0),
      revoke_reason text
        check (revoke_reason in ('lost', 'stolen', 'double_spend', 'migrated', 'closed')),
      check ((revoked_at is null) = (revoke_reason is null))
    )`,
    `create index wallets_by_account on wallets (account_id)`,
    // The patent binds an account to one phone: at most one wallet that can still pay.
    `create unique index wallets_one_live_per_account on wallets (account_id)
      where status in ('active', 'locked')`,
  ],
};
