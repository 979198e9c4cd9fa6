/**
 * Top-up: e-cash from the user's account onto an active wallet, with a signed 'top_up'
 * notice (pushed, or pulled at sync). Ledger and notifications are core / notification
 * tables; the 0800 hundred is reserved for the unit's own schema changes.
 */
import type { PlatformUnit } from '../unit';
import { topUpCommand } from './commands';
import { topUpRoutes } from './routes';

export const topUpUnit: PlatformUnit = {
  name: 'topup',
  migrations: [],
  routes: topUpRoutes,
  commands: [topUpCommand],
};
