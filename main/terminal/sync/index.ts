export { createSyncService, type SyncDeps, type SyncService } from './service';
export { SYNC_EVENTS, type SyncEventPayloads, type SyncPublish } from './events';
export { NOT_READY_MESSAGES, type NotReady, type NotReadyReason, type SyncStatus } from './status';
export type { SyncTimers } from './schedule';
export { HotlistIndex } from './hotlist-index';
