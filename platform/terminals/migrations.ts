/**
 * Terminal enrollment codes (migration 0700): shown once, stored hashed, single use.
 * Terminal certificates (0701): every one the platform signed, so that suspending a
 * terminal can name each of its certificates still valid in notices to the phones.
 */
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

export const terminalCertificates: NamedMigration = {
  name: '0701_terminal_certificates',
  statements: [
    // Its own sequence: a terminal certificate serial is unique among terminal certificates
    // and is what a suspend_terminal notice names.
    `create sequence terminal_certificate_serials as bigint minvalue 1`,
    `create table terminal_certificates (
      serial bigint primary key check (serial >= 1),
      terminal_id text not null references terminals (terminal_id),
      public_key bytea not null check (octet_length(public_key) = 33),
      issuer_key_id bytea not null check (octet_length(issuer_key_id) = 8),
      valid_from bigint not null check (valid_from >= 0),
      valid_until bigint not null check (valid_until > valid_from),
      issued_at bigint not null check (issued_at >= 0),
      suspended_at bigint check (suspended_at >= issued_at)
    )`,
    `create index terminal_certificates_by_terminal
      on terminal_certificates (terminal_id, valid_until)`,
    // What a new wallet must be told about (suspension.ts): few rows, read at each issue.
    `create index terminal_certificates_suspended
      on terminal_certificates (valid_until) where suspended_at is not null`,
  ],
};
