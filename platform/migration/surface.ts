/**
 * The migration unit's callable surface: what other units, jobs, tools and tests call. Its
 * descriptor (routes, migrations, CLI commands) is index.ts, which only the unit list
 * (units.ts) imports, so calling the unit never loads its routes or the operator CLI.
 */
export {
  migrateWallet,
  HOLD_WINDOW_SECONDS,
  type MigrationInput,
  type MigrationResult,
} from './migrate';
export { releaseHold, dueHolds, type ReleaseResult } from './hold';
export { releaseAndAnnounce, releaseDueHolds, type DueReleases } from './release';
export { previousWallet, REACTIVATABLE } from './previous';
