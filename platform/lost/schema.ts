/** Table types of the invalid-registration unit (migration 0400). */
import type { RevocationReason } from '../../protocol';

export interface HotlistStateTable {
  singleton: boolean;
  /** The latest version handed out; 0 before the first revocation. */
  version: number;
}

export interface HotlistEntriesTable {
  /** Strictly increasing, allocated from hotlist_state under its row lock. */
  version: number;
  wallet_id: Uint8Array;
  reason: RevocationReason;
  revoked_at: number;
}

declare module '../db/schema' {
  interface PlatformDatabase {
    hotlist_state: HotlistStateTable;
    hotlist_entries: HotlistEntriesTable;
  }
}
