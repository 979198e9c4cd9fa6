/**
 * Settlement tables (e-cash settlement unit, claim 11; steps 52-54). Frozen once released:
 * change the schema with a new 05xx migration, never by editing this one.
 *
 * - settlement_batches: one row per batch id, the idempotency key. The primary key is what
 *   makes two concurrent uploads of one batch settle once: the second insert waits for the
 *   first transaction and then finds its row.
 * - settlement_payments: every record the platform honoured, unique by (wallet, counter):
 *   the same pair again is a duplicate (same body hash) or a double-spend (other hash).
 * - settlement_double_spends: the conflicting record next to the one first honoured, both
 *   kept for inquiry; unique by (wallet, counter, body hash) so a retried batch flags once.
 * - settlement_voids: refunds of honoured payments (S13), at most one per payment.
 */
import { sql } from 'kysely';
import { SettlementBatch } from '../../protocol';
import type { NamedMigration } from '../db/migrate';

const IDENTIFIER = `'^[A-Za-z0-9._-]{1,32}$'`;

export const settlementTables: NamedMigration = {
  name: '0500_settlement',
  statements: [
    `create table settlement_batches (
      batch_id bytea primary key check (octet_length(batch_id) = 16),
      terminal_id text not null references terminals (terminal_id),
      merchant_id text not null references merchants (merchant_id),
      body_hash bytea not null check (octet_length(body_hash) = 32),
      envelope bytea not null,
      status text not null check (status in ('settled')),
      record_count integer not null check (record_count >= 0),
      total_credited bigint not null check (total_credited >= 0),
      received_at bigint not null check (received_at >= 0),
      settled_at bigint not null check (settled_at >= received_at),
      result bytea not null
    )`,
    `create index settlement_batches_by_terminal on settlement_batches (terminal_id, settled_at)`,

    `create table settlement_payments (
      wallet_id bytea not null references wallets (wallet_id),
      counter bigint not null check (counter >= 0),
      body_hash bytea not null check (octet_length(body_hash) = 32),
      batch_id bytea not null references settlement_batches (batch_id),
      amount bigint not null check (amount >= 0),
      merchant_id text not null check (merchant_id ~ ${IDENTIFIER}),
      terminal_id text not null check (terminal_id ~ ${IDENTIFIER}),
      terminal_time bigint not null check (terminal_time >= 0),
      status text not null check (status in ('accepted', 'double_spend')),
      primary key (wallet_id, counter)
    )`,
    `create index settlement_payments_by_batch on settlement_payments (batch_id)`,

    `create table settlement_double_spends (
      wallet_id bytea not null references wallets (wallet_id),
      counter bigint not null check (counter >= 0),
      body_hash bytea not null check (octet_length(body_hash) = 32),
      record bytea not null,
      batch_id bytea not null references settlement_batches (batch_id),
      terminal_id text not null,
      amount bigint not null check (amount >= 0),
      honoured boolean not null,
      flagged_at bigint not null check (flagged_at >= 0),
      primary key (wallet_id, counter, body_hash)
    )`,

    `create table settlement_voids (
      wallet_id bytea not null,
      counter bigint not null,
      batch_id bytea not null references settlement_batches (batch_id),
      amount bigint not null check (amount > 0),
      voided_at bigint not null check (voided_at >= 0),
      primary key (wallet_id, counter),
      foreign key (wallet_id, counter) references settlement_payments (wallet_id, counter)
    )`,
  ],
};

/**
 * The per-record identifier checks without bounded repetition (see core 0004: `{1,32}` in a
 * PostgreSQL regular expression cost more CPU than the rest of the row's insert), and the
 * batch envelope stored without compression: it is signatures and random nonces, which
 * pglz cannot shrink but spent CPU trying on every batch.
 */
export const settlementFastChecks: NamedMigration = {
  name: '0501_settlement_fast_checks',
  statements: [
    `alter table settlement_payments drop constraint settlement_payments_merchant_id_check`,
    `alter table settlement_payments add constraint settlement_payments_merchant_id_check
      check (char_length(merchant_id) between 1 and 32 and merchant_id !~ '[^A-Za-z0-9._-]')`,
    `alter table settlement_payments drop constraint settlement_payments_terminal_id_check`,
    `alter table settlement_payments add constraint settlement_payments_terminal_id_check
      check (char_length(terminal_id) between 1 and 32 and terminal_id !~ '[^A-Za-z0-9._-]')`,
    `alter table settlement_batches alter column envelope set storage external`,
  ],
};

/**
 * Liability after a revocation and the batch figures (docs/protocol.md "Settlement
 * figures"): who bore each honoured payment ('wallet': its account; 'platform': the lost
 * wallet loss account, for a payment after a lost or stolen report), so that a void refunds
 * whoever paid; and per batch, the voids it applied to payments of earlier batches (a debit
 * to the merchant that the result's totalCredited, which cannot go below 0, leaves out).
 */
export const settlementLiability: NamedMigration = {
  name: '0502_settlement_liability',
  statements: [
    `alter table settlement_payments add column liability text not null default 'wallet'
      check (liability in ('wallet', 'platform'))`,
    `alter table settlement_batches add column voids_debited bigint not null default 0
      check (voids_debited >= 0)`,
  ],
};

/**
 * The settlement chain (docs/protocol.md section 3, `chainHead`): per terminal, the head of
 * its last accepted batch, which the next batch must continue, and the last batch refused
 * because it did not (for the operator). The row is also what serialises one terminal's
 * uploads: settling locks it first. A terminal that settled before this migration starts
 * from the `chainHead` of its latest settled batch.
 */
export const settlementChains: NamedMigration = {
  name: '0503_settlement_chains',
  async up(db) {
    await sql`create table settlement_chains (
      terminal_id text primary key references terminals (terminal_id),
      head bytea not null check (octet_length(head) = 32),
      last_batch_id bytea references settlement_batches (batch_id),
      updated_at bigint not null check (updated_at >= 0),
      broken boolean not null default false,
      refusals integer not null default 0 check (refusals >= 0),
      refused_batch_id bytea check (octet_length(refused_batch_id) = 16),
      refused_head bytea check (octet_length(refused_head) = 32),
      refused_at bigint check (refused_at >= 0),
      check ((refused_batch_id is null) = (refused_at is null)
        and (refused_head is null) = (refused_at is null)
        and (refused_at is null) = (refusals = 0)
        and (not broken or refused_at is not null))
    )`.execute(db);
    const latest = await sql<{
      terminal_id: string;
      batch_id: Uint8Array;
      envelope: Uint8Array;
      settled_at: string | number;
    }>`select distinct on (terminal_id) terminal_id, batch_id, envelope, settled_at
       from settlement_batches
       order by terminal_id, settled_at desc, received_at desc, batch_id desc`.execute(db);
    for (const row of latest.rows) {
      const head = SettlementBatch.decode(row.envelope).value.chainHead;
      await sql`insert into settlement_chains (terminal_id, head, last_batch_id, updated_at)
        values (${row.terminal_id}, ${head}, ${row.batch_id}, ${row.settled_at})`.execute(db);
    }
  },
};
