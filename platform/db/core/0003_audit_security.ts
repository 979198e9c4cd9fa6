/** The audit log and the tables behind caller authentication and attempt limits. */
import type { NamedMigration } from '../migrate';

export const auditAndSecurityTables: NamedMigration = {
  name: '0003_audit_security',
  statements: [
    `create table audit_log (
      id bigserial primary key,
      at bigint not null check (at >= 0),
      actor_kind text not null
        check (actor_kind in ('operator', 'wallet', 'terminal', 'system', 'anonymous')),
      actor_id text,
      action text not null check (action ~ '^[a-z][a-z0-9_.]{0,63}$'),
      subject text,
      outcome text not null check (outcome in ('ok', 'denied', 'failed')),
      remote_address text,
      detail jsonb not null default '{}' check (jsonb_typeof(detail) = 'object')
    )`,
    `create index audit_log_by_subject on audit_log (subject, id)`,
    `create index audit_log_by_time on audit_log (at)`,
    // refuse_change() comes from 0002_ledger.
    `create trigger audit_log_append_only before update or delete on audit_log
      for each row execute function refuse_change()`,

    `create table operator_tokens (
      token_id text primary key check (token_id ~ '^[0-9a-f]{16}$'),
      token_hash bytea not null check (octet_length(token_hash) = 32),
      label text not null check (char_length(label) between 1 and 100),
      created_at bigint not null check (created_at >= 0),
      revoked_at bigint check (revoked_at >= 0)
    )`,

    `create table request_nonces (
      caller_kind text not null check (caller_kind in ('wallet', 'terminal')),
      caller_id text not null,
      nonce bytea not null check (octet_length(nonce) = 16),
      expires_at bigint not null,
      primary key (caller_kind, caller_id, nonce)
    )`,
    `create index request_nonces_by_expiry on request_nonces (expires_at)`,

    `create table attempt_failures (
      limiter text not null,
      scope text not null,
      subject text not null,
      window_start bigint not null,
      failures integer not null check (failures > 0),
      primary key (limiter, scope, subject)
    )`,
  ],
};
