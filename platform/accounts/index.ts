/**
 * Registration and accounts (claim 9's user information database): users with name,
 * account id, password and ID number (both scrypt-hashed), phone number and e-cash held in
 * the ledger as `user:<accountId>`. Its tables are core (0001: accounts); this hundred
 * (0100) is reserved for the unit's own schema changes.
 */
import type { PlatformUnit } from '../unit';
import {
  addUserCommand,
  loadAccountCommand,
  showAccountCommand,
  showWalletCommand,
} from './commands';
import { accountRoutes } from './routes';

export const accountsUnit: PlatformUnit = {
  name: 'accounts',
  migrations: [],
  routes: accountRoutes,
  commands: [addUserCommand, loadAccountCommand, showAccountCommand, showWalletCommand],
};
