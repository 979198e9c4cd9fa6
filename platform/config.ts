/**
 * Run-time settings from the environment (`npm run platform`):
 *   HOST (127.0.0.1)  PORT (8787)  DATA_DIR (./.tapsafe/platform)
 *   DATABASE_URL      a PostgreSQL server; unset: PGlite in DATA_DIR/pgdata
 *   PLATFORM_MASTER_KEY  32 bytes, 64 hex or base64; or PLATFORM_MASTER_KEY_FILE, a path to a
 *                     file holding it (0600). Required with DATABASE_URL (every node shares
 *                     it); unset on PGlite: DATA_DIR/master.key (created 0600 on first start)
 *   LOG_LEVEL (info)  TRUST_PROXY (unset: off; "true" or a list of proxy addresses)
 *   HOLD_RELEASE_INTERVAL_SECONDS (60)  HOTLIST_PRUNE_INTERVAL_SECONDS (86400)
 *                     how often the periodic jobs (jobs/) run; whole seconds, 1..604800 (7 days)
 *   PERIODIC_JOBS (on) "off": this node runs no periodic jobs and only serves (another node
 *                     on the same database runs them)
 *   SETTLEMENT_VERIFY_THREADS (one per core) threads of the settlement verify pool, 1..64;
 *                     fewer than the cores leaves one to a PostgreSQL on the same machine
 *   TERMINAL_CERTIFICATE_DAYS (30) validity of the terminal certificates the platform issues
 *                     at enrollment and renewal; whole days, 1..365
 *   WALLET_*          the wallet policy (activation/policy.ts), each within its bounds
 * A bad value is a ConfigError naming the variable, before anything is opened.
 */
import { resolve } from 'node:path';
import {
  DEFAULT_WALLET_POLICY,
  WALLET_POLICY_BOUNDS,
  type WalletPolicy,
} from './activation/policy';
import { MASTER_KEY_ENV, MASTER_KEY_FILE_ENV, parseMasterKey } from './keys/master-key';

export interface PlatformConfig {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  /** PLATFORM_MASTER_KEY, checked and in hex. */
  readonly masterKeyHex: string | undefined;
  /** PLATFORM_MASTER_KEY_FILE, as an absolute path (read when the platform opens). */
  readonly masterKeyFile: string | undefined;
  readonly logLevel: string;
  readonly trustProxy: boolean | string[];
  /** The periodic jobs' intervals (the server's `jobs` option); false: none run here. */
  readonly jobs: PeriodicJobIntervals | false;
  /** Threads of the settlement verify pool; undefined: one per core. */
  readonly verifyThreads: number | undefined;
  /** Validity of a terminal certificate, whole days. */
  readonly terminalCertificateDays: number;
  /** What every wallet is issued with (WALLET_*). */
  readonly walletPolicy: WalletPolicy;
}

export interface PeriodicJobIntervals {
  readonly holdReleaseIntervalMs: number;
  readonly hotlistPruneIntervalMs: number;
}

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 8787;
export const DEFAULT_DATA_DIR = './.tapsafe/platform';
export const DEFAULT_HOLD_RELEASE_INTERVAL_SECONDS = 60;
export const DEFAULT_HOTLIST_PRUNE_INTERVAL_SECONDS = 86_400;
/** Longest job interval: a week (setInterval itself breaks beyond ~24.8 days). */
export const MAX_JOB_INTERVAL_SECONDS = 7 * 86_400;
export const MAX_VERIFY_THREADS = 64;
export const DEFAULT_TERMINAL_CERTIFICATE_DAYS = 30;
export const MAX_TERMINAL_CERTIFICATE_DAYS = 365;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const nonEmpty = (value: string | undefined): string | undefined =>
  value === undefined || value.trim() === '' ? undefined : value.trim();

/** Whole seconds in 1..MAX_JOB_INTERVAL_SECONDS, or the default when unset; in ms. */
function intervalMs(env: NodeJS.ProcessEnv, name: string, defaultSeconds: number): number {
  const text = nonEmpty(env[name]);
  if (text === undefined) return defaultSeconds * 1_000;
  const seconds = /^[0-9]{1,7}$/.test(text) ? Number(text) : NaN;
  if (!(seconds >= 1 && seconds <= MAX_JOB_INTERVAL_SECONDS)) {
    throw new ConfigError(
      `${name} must be whole seconds, 1..${MAX_JOB_INTERVAL_SECONDS} (7 days), got ${text}`,
    );
  }
  return seconds * 1_000;
}

function verifyThreads(env: NodeJS.ProcessEnv): number | undefined {
  const text = nonEmpty(env.SETTLEMENT_VERIFY_THREADS);
  if (text === undefined) return undefined;
  const threads = /^[0-9]{1,3}$/.test(text) ? Number(text) : NaN;
  if (!(threads >= 1 && threads <= MAX_VERIFY_THREADS))
    throw new ConfigError(
      `SETTLEMENT_VERIFY_THREADS must be 1..${MAX_VERIFY_THREADS}, got ${text}`,
    );
  return threads;
}

function terminalCertificateDays(env: NodeJS.ProcessEnv): number {
  const text = nonEmpty(env.TERMINAL_CERTIFICATE_DAYS);
  if (text === undefined) return DEFAULT_TERMINAL_CERTIFICATE_DAYS;
  const days = /^[0-9]{1,3}$/.test(text) ? Number(text) : NaN;
  if (!(days >= 1 && days <= MAX_TERMINAL_CERTIFICATE_DAYS))
    throw new ConfigError(
      `TERMINAL_CERTIFICATE_DAYS must be whole days, 1..${MAX_TERMINAL_CERTIFICATE_DAYS}, got ${text}`,
    );
  return days;
}

/** WALLET_* variable → policy field, and the unit the variable is written in. */
const WALLET_VARIABLES: readonly [string, keyof WalletPolicy, number][] = [
  ['WALLET_T_SECONDS', 'T', 1],
  ['WALLET_T1_SECONDS', 'T1', 1],
  ['WALLET_T2_SECONDS', 'T2', 1],
  ['WALLET_CURRENCY', 'currency', 1],
  ['WALLET_LIMIT_PER_PAYMENT', 'limitPerPayment', 1],
  ['WALLET_LIMIT_OFFLINE_AMOUNT', 'limitOfflineAmount', 1],
  ['WALLET_LIMIT_OFFLINE_COUNT', 'limitOfflineCount', 1],
  ['WALLET_CERTIFICATE_DAYS', 'certificateSeconds', 86_400],
];

export function walletPolicyFromEnv(env: NodeJS.ProcessEnv): WalletPolicy {
  const policy: Record<keyof WalletPolicy, number> = { ...DEFAULT_WALLET_POLICY };
  for (const [name, field, unit] of WALLET_VARIABLES) {
    const text = nonEmpty(env[name]);
    if (text === undefined) continue;
    const [min, max] = WALLET_POLICY_BOUNDS[field].map((bound) => Math.ceil(bound / unit));
    const value = /^[0-9]{1,16}$/.test(text) ? Number(text) : NaN;
    if (!(value >= (min ?? 1) && value <= (max ?? 0)))
      throw new ConfigError(`${name} must be a whole number, ${min}..${max}, got ${text}`);
    policy[field] = value * unit;
  }
  if (policy.limitPerPayment > policy.limitOfflineAmount)
    throw new ConfigError(
      `WALLET_LIMIT_PER_PAYMENT (${policy.limitPerPayment}) must not exceed WALLET_LIMIT_OFFLINE_AMOUNT (${policy.limitOfflineAmount})`,
    );
  return policy;
}

function jobsEnabled(env: NodeJS.ProcessEnv): boolean {
  const text = nonEmpty(env.PERIODIC_JOBS);
  if (text === undefined || text.toLowerCase() === 'on') return true;
  if (text.toLowerCase() === 'off') return false;
  throw new ConfigError(`PERIODIC_JOBS must be on or off, got ${text}`);
}

/**
 * The master key from configuration. On a shared database (DATABASE_URL) it is required:
 * a key in one node's DATA_DIR would leave the other nodes unable to open the issuer keys.
 * Its value is never echoed in an error.
 */
function masterKeySettings(
  env: NodeJS.ProcessEnv,
  databaseUrl: string | undefined,
): Pick<PlatformConfig, 'masterKeyHex' | 'masterKeyFile'> {
  const text = nonEmpty(env[MASTER_KEY_ENV]);
  const file = nonEmpty(env[MASTER_KEY_FILE_ENV]);
  if (text !== undefined && file !== undefined)
    throw new ConfigError(`set ${MASTER_KEY_ENV} or ${MASTER_KEY_FILE_ENV}, not both`);
  const key = text === undefined ? undefined : parseMasterKey(text);
  if (text !== undefined && key === undefined) {
    throw new ConfigError(
      `${MASTER_KEY_ENV} must be 32 bytes: 64 hex characters or base64 (make one with: openssl rand -hex 32)`,
    );
  }
  if (databaseUrl !== undefined && text === undefined && file === undefined) {
    throw new ConfigError(
      `DATABASE_URL is set: every API node needs the same master key, from ${MASTER_KEY_ENV} or ${MASTER_KEY_FILE_ENV} (platform/README.md)`,
    );
  }
  return {
    masterKeyHex: key === undefined ? undefined : Buffer.from(key).toString('hex'),
    masterKeyFile: file === undefined ? undefined : resolve(file),
  };
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): PlatformConfig {
  const portText = nonEmpty(env.PORT) ?? String(DEFAULT_PORT);
  const port = /^[0-9]{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 0 && port <= 65535))
    throw new ConfigError(`PORT must be 0..65535, got ${portText}`);
  const proxy = nonEmpty(env.TRUST_PROXY);
  // Both intervals are checked even with the jobs off: a typo should not wait for the day
  // they are turned back on.
  const jobs: PeriodicJobIntervals = {
    holdReleaseIntervalMs: intervalMs(
      env,
      'HOLD_RELEASE_INTERVAL_SECONDS',
      DEFAULT_HOLD_RELEASE_INTERVAL_SECONDS,
    ),
    hotlistPruneIntervalMs: intervalMs(
      env,
      'HOTLIST_PRUNE_INTERVAL_SECONDS',
      DEFAULT_HOTLIST_PRUNE_INTERVAL_SECONDS,
    ),
  };
  const databaseUrl = nonEmpty(env.DATABASE_URL);
  return {
    host: nonEmpty(env.HOST) ?? DEFAULT_HOST,
    port,
    dataDir: resolve(nonEmpty(env.DATA_DIR) ?? DEFAULT_DATA_DIR),
    databaseUrl,
    ...masterKeySettings(env, databaseUrl),
    logLevel: nonEmpty(env.LOG_LEVEL) ?? 'info',
    trustProxy:
      proxy === undefined ? false : proxy === 'true' ? true : proxy.split(',').map((p) => p.trim()),
    jobs: jobsEnabled(env) ? jobs : false,
    verifyThreads: verifyThreads(env),
    terminalCertificateDays: terminalCertificateDays(env),
    walletPolicy: walletPolicyFromEnv(env),
  };
}
