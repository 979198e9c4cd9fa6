/**
 * The same rules as 0002/0003's check constraints on the rows written for every payment,
 * without bounded repetition in a regular expression: PostgreSQL's engine expands
 * `{1,100}` into a large automaton, so each ledger entry cost ~0.2 ms of CPU in its account
 * check alone (settlement writes one entry per wallet per batch). Lengths are checked with
 * char_length and characters with an unbounded class.
 */
import type { NamedMigration } from '../migrate';

export const fastChecks: NamedMigration = {
  name: '0004_fast_checks',
  statements: [
    `alter table ledger_entries drop constraint ledger_entries_account_check`,
    `alter table ledger_entries add constraint ledger_entries_account_check check (
      split_part(account, ':', 1) in ('user', 'wallet', 'merchant', 'hold', 'platform')
      and char_length(account) - char_length(split_part(account, ':', 1)) between 2 and 101
      and account ~ '^[a-z]+:[A-Za-z0-9._:-]+$')`,
    `alter table ledger_transactions drop constraint ledger_transactions_kind_check`,
    `alter table ledger_transactions add constraint ledger_transactions_kind_check
      check (char_length(kind) <= 64 and kind ~ '^[a-z][a-z0-9_.]*$')`,
    `alter table audit_log drop constraint audit_log_action_check`,
    `alter table audit_log add constraint audit_log_action_check
      check (char_length(action) <= 64 and action ~ '^[a-z][a-z0-9_.]*$')`,
  ],
};
