/** A platform app over a test database, with a manual clock and a probe unit of test routes. */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { buildPlatform, type LogOptions } from '../../../platform/app';
import type { PlatformApp } from '../../../platform/context';
import { ManualClock } from '../../../platform/clock';
import type { PlatformDatabase } from '../../../platform/db/schema';
import { IssuerKeys } from '../../../platform/keys/issuer-keys';
import type { PlatformUnit } from '../../../platform/unit';
import { UNITS } from '../../../platform/units';
import { probeUnit } from './probe-unit';

export const T0 = 1_800_000_000;

export interface TestPlatform {
  readonly app: PlatformApp;
  readonly db: Kysely<PlatformDatabase>;
  readonly keys: IssuerKeys;
  readonly clock: ManualClock;
}

export async function testPlatform(
  db: Kysely<PlatformDatabase>,
  options: {
    units?: readonly PlatformUnit[];
    logger?: LogOptions;
    bodyLimit?: number;
    terminalCertificateDays?: number;
  } = {},
): Promise<TestPlatform> {
  const clock = new ManualClock(T0);
  const keys = await IssuerKeys.open({ db, clock, masterKey: randomBytes(32) });
  const app = await buildPlatform({
    db,
    keys,
    clock,
    units: options.units ?? [...UNITS, probeUnit],
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.bodyLimit ? { bodyLimit: options.bodyLimit } : {}),
    terminalCertificateDays: options.terminalCertificateDays,
  });
  await app.ready();
  return { app, db, keys, clock };
}
