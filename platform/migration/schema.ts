/** Table types of the migration unit (migration 0450). */
export interface WalletMigrationsTable {
  old_wallet_id: Uint8Array;
  new_wallet_id: Uint8Array;
  account_id: string;
  /** E-cash moved to the new wallet at migration (old balance minus the hold). */
  moved: number;
  /** The risk hold put in hold:<oldWalletHex> at migration. */
  held: number;
  migrated_at: number;
  /** The hold may be released from this time on (see hold.ts). */
  hold_until: number;
  released_at: number | null;
  /** What was left in the hold and went to the new wallet (held minus late settlements). */
  released: number | null;
}

declare module '../db/schema' {
  interface PlatformDatabase {
    wallet_migrations: WalletMigrationsTable;
  }
}
