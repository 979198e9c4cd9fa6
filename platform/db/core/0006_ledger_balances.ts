/**
 * Running balances: one row per ledger account holding the sum of its entries, kept by the
 * database itself (a statement trigger on ledger_entries, so no writer can forget it), so
 * checking the money bound and reading a balance no longer sums an account's whole history.
 * postTransaction (ledger/post.ts) locks the rows of a posting's accounts, in account order,
 * before it checks the bound and writes. The check constraint is the last line: the code
 * refuses first with a typed 422.
 *
 * Backfilled from the entries under a lock that holds off writers of ledger_entries until
 * this migration commits, so no entry can be written between the sums and the trigger.
 */
import type { NamedMigration } from '../migrate';

/** MAX_AMOUNT of ledger/post.ts, 2^53 − 1. */
const BOUND = '9007199254740991';

export const ledgerBalances: NamedMigration = {
  name: '0006_ledger_balances',
  statements: [
    `lock table ledger_entries in share row exclusive mode`,
    `create table ledger_balances (
      account text primary key,
      balance bigint not null check (balance between -${BOUND} and ${BOUND})
    )`,
    `insert into ledger_balances (account, balance)
      select account, sum(amount)::bigint from ledger_entries group by account`,
    `create function ledger_balances_follow() returns trigger language plpgsql as $$
    begin
      insert into ledger_balances (account, balance)
        select account, sum(amount)::bigint from new_entries group by account order by account
      on conflict (account) do update set balance = ledger_balances.balance + excluded.balance;
      return null;
    end $$`,
    `create trigger ledger_entries_to_balances after insert on ledger_entries
      referencing new table as new_entries
      for each statement execute function ledger_balances_follow()`,
  ],
};
