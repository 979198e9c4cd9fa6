/**
 * Bootstrap tokens: the one-time operator token a fresh platform prints at start while no
 * operator token exists, so the first operator can get a real token from the running
 * server (auth/operator-tokens.ts). It lives in operator_tokens with scope 'bootstrap'; at
 * most one is live at a time.
 */
import type { NamedMigration } from '../migrate';

export const bootstrapTokens: NamedMigration = {
  name: '0005_bootstrap_tokens',
  statements: [
    `alter table operator_tokens add column scope text not null default 'operator'
      check (scope in ('operator', 'bootstrap'))`,
    `create unique index operator_tokens_one_live_bootstrap on operator_tokens (scope)
      where scope = 'bootstrap' and revoked_at is null`,
  ],
};
