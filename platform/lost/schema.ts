/** Table types of the invalid-registration unit (migrations 0400, 0410). */
import type { RevocationReason } from '../../protocol';

export interface HotlistStateTable {
  singleton: boolean;
  /** The latest version handed out; 0 before the first revocation. */
  version: number;
  /** The version the latest prune took; a delta from before it is answered in full. */
  pruned_version: number;
}

export interface HotlistEntriesTable {
  /** Strictly increasing, allocated from hotlist_state under its row lock. */
  version: number;
  wallet_id: Uint8Array;
  reason: RevocationReason;
  revoked_at: number;
  /** The wallet certificate's validUntil; null (never pruned) when it did not decode. */
  certificate_valid_until: number | null;
}

declare module '../db/schema' {
  interface PlatformDatabase {
    hotlist_state: HotlistStateTable;
    hotlist_entries: HotlistEntriesTable;
  }
}
