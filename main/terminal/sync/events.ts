/** Events of the sync service, published through the injected callback. */
import type { SyncStatus } from './status';

export const SYNC_EVENTS = {
  /** After every sync attempt (success or failure) and when the schedule changes. */
  status: 'sync.status',
} as const;

export interface SyncEventPayloads {
  'sync.status': SyncStatus;
}

export type SyncPublish = <E extends keyof SyncEventPayloads>(
  event: E,
  payload: SyncEventPayloads[E],
) => void;
