/**
 * The double-entry ledger. Postgres itself refuses what must never happen, whatever code
 * writes: entries of one transaction that do not sum to zero (checked at the end of each
 * insert statement), a transaction with fewer than two entries (checked at commit), and
 * any update or delete (the ledger is append-only; corrections are new transactions).
 */
import type { NamedMigration } from '../migrate';

export const ledgerTables: NamedMigration = {
  name: '0002_ledger',
  statements: [
    `create table ledger_transactions (
      txn_id bigserial primary key,
      kind text not null check (kind ~ '^[a-z][a-z0-9_.]{0,63}$'),
      reference text unique check (char_length(reference) between 1 and 200),
      created_at bigint not null check (created_at >= 0)
    )`,
    `create table ledger_entries (
      entry_id bigserial primary key,
      txn_id bigint not null references ledger_transactions (txn_id),
      account text not null
        check (account ~ '^(user|wallet|merchant|hold|platform):[A-Za-z0-9._:-]{1,100}$'),
      amount bigint not null check (amount <> 0)
    )`,
    `create index ledger_entries_by_account on ledger_entries (account)`,
    `create index ledger_entries_by_txn on ledger_entries (txn_id)`,

    `create function ledger_entries_balanced() returns trigger language plpgsql as $$
    declare
      unbalanced bigint;
    begin
      select e.txn_id into unbalanced
        from ledger_entries e
       where e.txn_id in (select distinct txn_id from new_entries)
       group by e.txn_id
      having sum(e.amount) <> 0 or count(*) < 2
       limit 1;
      if found then
        raise exception 'ledger transaction % does not balance', unbalanced
          using errcode = '23514';
      end if;
      return null;
    end $$`,
    `create trigger ledger_entries_balanced after insert on ledger_entries
      referencing new table as new_entries
      for each statement execute function ledger_entries_balanced()`,

    `create function ledger_transaction_has_entries() returns trigger language plpgsql as $$
    begin
      if (select count(*) from ledger_entries where txn_id = new.txn_id) < 2 then
        raise exception 'ledger transaction % has fewer than two entries', new.txn_id
          using errcode = '23514';
      end if;
      return null;
    end $$`,
    `create constraint trigger ledger_transaction_has_entries
      after insert on ledger_transactions deferrable initially deferred
      for each row execute function ledger_transaction_has_entries()`,

    `create function refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception '% is append-only', tg_table_name using errcode = '42501';
    end $$`,
    `create trigger ledger_transactions_append_only before update or delete on ledger_transactions
      for each row execute function refuse_change()`,
    `create trigger ledger_entries_append_only before update or delete on ledger_entries
      for each row execute function refuse_change()`,
  ],
};
