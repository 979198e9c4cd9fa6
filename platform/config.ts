/**
 * Run-time settings from the environment (`npm run platform`):
 *   HOST (127.0.0.1)  PORT (8787)  DATA_DIR (./.tapsafe/platform)
 *   DATABASE_URL      a PostgreSQL server; unset: PGlite in DATA_DIR/pgdata
 *   PLATFORM_MASTER_KEY  64 hex; unset: DATA_DIR/master.key (created 0600 on first start)
 *   LOG_LEVEL (info)  TRUST_PROXY (unset: off; "true" or a list of proxy addresses)
 */
import { resolve } from 'node:path';

export interface PlatformConfig {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  readonly masterKeyHex: string | undefined;
  readonly logLevel: string;
  readonly trustProxy: boolean | string[];
}

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 8787;
export const DEFAULT_DATA_DIR = './.tapsafe/platform';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const nonEmpty = (value: string | undefined): string | undefined =>
  value === undefined || value.trim() === '' ? undefined : value.trim();

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): PlatformConfig {
  const portText = nonEmpty(env.PORT) ?? String(DEFAULT_PORT);
  const port = /^[0-9]{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 0 && port <= 65535))
    throw new ConfigError(`PORT must be 0..65535, got ${portText}`);
  const proxy = nonEmpty(env.TRUST_PROXY);
  return {
    host: nonEmpty(env.HOST) ?? DEFAULT_HOST,
    port,
    dataDir: resolve(nonEmpty(env.DATA_DIR) ?? DEFAULT_DATA_DIR),
    databaseUrl: nonEmpty(env.DATABASE_URL),
    masterKeyHex: nonEmpty(env.PLATFORM_MASTER_KEY),
    logLevel: nonEmpty(env.LOG_LEVEL) ?? 'info',
    trustProxy:
      proxy === undefined ? false : proxy === 'true' ? true : proxy.split(',').map((p) => p.trim()),
  };
}
