/**
 * Re-activation and migration (S6; claims 26-27, B3'): the old wallet's e-cash moves to
 * the user's new wallet minus a risk hold (migrate.ts), the old wallet gets a migrate-out
 * notice, and the hold is released when its window closes (hold.ts).
 */
import type { PlatformUnit } from '../unit';
import { migrateWalletCommand, releaseHoldCommand } from './commands';
import { walletMigrationTables } from './migrations';
import { migrationRoutes } from './routes';

export const migrationUnit: PlatformUnit = {
  name: 'migration',
  migrations: [walletMigrationTables],
  routes: migrationRoutes,
  commands: [migrateWalletCommand, releaseHoldCommand],
};

export { migrateWallet, HOLD_WINDOW_SECONDS, type MigrationResult } from './migrate';
export { releaseHold, dueHolds, type ReleaseResult } from './hold';
