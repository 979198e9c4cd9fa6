/**
 * The platform's units, each a folder with its routes, tables and CLI commands (unit.ts).
 * Add a unit here and its migrations run, its routes mount under /v1 and its commands
 * join the CLI. Order does not matter: migrations are ordered by their numbers.
 */
import { notificationsUnit } from './notifications';
import { operatorUnit } from './operator';
import type { PlatformUnit } from './unit';

export const UNITS: readonly PlatformUnit[] = [operatorUnit, notificationsUnit];
