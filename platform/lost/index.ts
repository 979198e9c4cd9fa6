/**
 * The invalid-registration unit (无效登记单元, claim 11; S5, B1'-B2'): lost reports revoke
 * a wallet, put it on the signed, versioned hotlist and queue lock and wipe notices;
 * terminals download the hotlist (full or delta). Other units revoke through revokeWallet.
 */
import type { PlatformUnit } from '../unit';
import { reportLostCommand } from './commands';
import { hotlistExpiry, hotlistTables } from './migrations';
import { lostRoutes } from './routes';

export const lostUnit: PlatformUnit = {
  name: 'lost',
  migrations: [hotlistTables, hotlistExpiry],
  routes: lostRoutes,
  commands: [reportLostCommand],
};
