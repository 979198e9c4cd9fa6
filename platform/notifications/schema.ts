/** Table types of the notification unit (migration 0600). */
import type { NotificationType } from '../../protocol';

export interface NotificationsTable {
  wallet_id: Uint8Array;
  /** Per-wallet, strictly increasing, from wallets.notification_seq. */
  sequence: number;
  type: NotificationType;
  /** The signed Notification envelope, exactly as sent to the phone. */
  envelope: Uint8Array;
  created_at: number;
  /** When the phone (directly) acknowledged it; relayed copies are not tracked here. */
  acknowledged_at: number | null;
}

/** A wallet owed a balance confirmation (migration 0601). */
export interface BalanceNoticesDueTable {
  wallet_id: Uint8Array;
  /** When its balance first changed after the last confirmation. */
  since: number;
}

declare module '../db/schema' {
  interface PlatformDatabase {
    notifications: NotificationsTable;
    balance_notices_due: BalanceNoticesDueTable;
  }
}
