/**
 * User verification (用户验证单元, claim 10): unlock after re-checking IMEI, IMSI and the
 * registration details (S7-S9), and `verifyRegistration`, the check that activation and
 * re-activation / migration (S6) reuse. Failures are counted in the core attempt_failures
 * table; the 0300 hundred is reserved for the unit's own schema changes.
 */
import type { PlatformUnit } from '../unit';
import { verificationRoutes } from './routes';

export const verificationUnit: PlatformUnit = {
  name: 'verification',
  migrations: [],
  routes: verificationRoutes,
};
