/**
 * Activation (S1; claims 4, 9, 24): binding, certificate issuing, first e-cash load. Its
 * tables are core (0001: wallets, certificate_serials); the 0200 hundred is reserved for
 * the unit's own schema changes. Wallet policy (T, T1, T2, limits): policy.ts. Issuing
 * (binding, certificate, grant) is issue.ts, shared with re-activation (platform/migration).
 */
import type { PlatformUnit } from '../unit';
import { activationRoutes } from './routes';

export const activationUnit: PlatformUnit = {
  name: 'activation',
  migrations: [],
  routes: activationRoutes,
};
