export { createSettlementService, type SettlementDeps, type SettlementService } from './service';
export type { SettlementStatus, OpenPeriod } from './status';
export type { UploadOutcome, Backoff, Timers } from './upload';
export * from './events';
