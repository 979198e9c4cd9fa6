/**
 * The platform's units, each a folder with its routes, tables and CLI commands (unit.ts).
 * Add a unit here and its migrations run, its routes mount under /v1 and its commands
 * join the CLI. Order does not matter: migrations are ordered by their numbers.
 */
import { accountsUnit } from './accounts';
import { activationUnit } from './activation';
import { lostUnit } from './lost';
import { migrationUnit } from './migration';
import { notificationsUnit } from './notifications';
import { operatorUnit } from './operator';
import { settlementUnit } from './settlement';
import { syncUnit } from './sync';
import { terminalsUnit } from './terminals';
import { topUpUnit } from './topup';
import type { PlatformUnit } from './unit';
import { verificationUnit } from './verification';

export const UNITS: readonly PlatformUnit[] = [
  operatorUnit,
  notificationsUnit,
  lostUnit,
  terminalsUnit,
  migrationUnit,
  accountsUnit,
  activationUnit,
  syncUnit,
  verificationUnit,
  topUpUnit,
  settlementUnit,
];
