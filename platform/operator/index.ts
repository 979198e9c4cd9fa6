/**
 * The operator unit (phase 1): the operator's own routes. Units that give operators
 * powers (add a user, report a phone lost, ...) add their routes and CLI commands in their
 * own folders; this one only proves the seam.
 */
import type { PlatformUnit } from '../unit';
import { operatorRoutes } from './routes';

export const operatorUnit: PlatformUnit = {
  name: 'operator',
  migrations: [],
  routes: operatorRoutes,
};
