/** Terminal enrollment codes (migration 0700): shown once, stored hashed, single use. */
import type { NamedMigration } from '../db/migrate';

export const enrollmentTables: NamedMigration = {
  name: '0700_enrollment',
  statements: [
    `create table enrollment_codes (
      code_hash bytea primary key check (octet_length(code_hash) = 32),
      merchant_id text not null references merchants (merchant_id),
      terminal_id text not null check (terminal_id ~ '^[A-Za-z0-9._-]{1,32}$'),
      params jsonb not null check (jsonb_typeof(params) = 'object'),
      created_by text not null,
      created_at bigint not null check (created_at >= 0),
      expires_at bigint not null check (expires_at > created_at),
      used_at bigint check (used_at >= created_at)
    )`,
    `create index enrollment_codes_by_terminal on enrollment_codes (terminal_id)`,
  ],
};
