/**
 * Sync and push delivery (part of the user notification unit, claim 9): freshness tokens,
 * pending notices, acknowledgements, and the WebSocket push. The notices themselves are
 * queued by other units through notifications/queue.ts; this unit has no tables of its own.
 */
import type { PlatformUnit } from '../unit';
import { syncRoutes } from './routes';

export const syncUnit: PlatformUnit = {
  name: 'sync',
  migrations: [],
  routes: syncRoutes,
};
