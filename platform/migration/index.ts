/**
 * Re-activation and migration (S6; claims 26-27, B3'): a new phone re-activates in one
 * step (reactivation.ts: new wallet issued by activation/issue.ts, e-cash moved by
 * migrate.ts minus a risk hold), the old wallet gets a migrate-out notice, and the hold is
 * released when its window closes (hold.ts, release.ts; the server's job does it).
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
