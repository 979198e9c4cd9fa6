/**
 * The master secret that seals the platform's private keys at rest. Sources, first wins:
 * 1. `PLATFORM_MASTER_KEY`: 64 hex characters (32 bytes) — production: inject it from a
 *    secret store, and keep it apart from database backups;
 * 2. `<dataDir>/master.key`: the same hex in a 0600 file, created on first start — the
 *    embedded / single-machine default; a file readable by group or others is refused;
 * 3. no data folder (memory database): a random key for this process only.
 * Losing the master key loses the issuer keys: certificates then need a new issuer key.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const MASTER_KEY_FILE = 'master.key';
export const MASTER_KEY_ENV = 'PLATFORM_MASTER_KEY';
const HEX_KEY = /^[0-9a-fA-F]{64}$/;

export class MasterKeyError extends Error {
  override readonly name = 'MasterKeyError';
}

export interface MasterKeySource {
  /** The value of PLATFORM_MASTER_KEY, if set. */
  readonly env?: string | undefined;
  /** The data folder holding master.key; undefined for a memory database. */
  readonly dataDir?: string | undefined;
}

export interface MasterKey {
  readonly key: Uint8Array;
  /** Where it came from, for `status` (never the key itself). */
  readonly origin: 'env' | 'file' | 'created-file' | 'ephemeral';
}

function parseHex(text: string, where: string): Uint8Array {
  const trimmed = text.trim();
  if (!HEX_KEY.test(trimmed))
    throw new MasterKeyError(`${where} must be 64 hex characters (32 bytes)`);
  return Buffer.from(trimmed, 'hex');
}

export function resolveMasterKey({ env, dataDir }: MasterKeySource): MasterKey {
  if (env !== undefined && env !== '') return { key: parseHex(env, MASTER_KEY_ENV), origin: 'env' };
  if (dataDir === undefined) return { key: randomBytes(32), origin: 'ephemeral' };
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, MASTER_KEY_FILE);
  try {
    const fd = openSync(path, 'wx', 0o600);
    const key = randomBytes(32);
    writeSync(fd, `${key.toString('hex')}\n`);
    closeSync(fd);
    return { key, origin: 'created-file' };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new MasterKeyError(
      `${path} is readable by others (mode ${mode.toString(8)}): chmod 600 it and consider the key exposed`,
    );
  }
  return { key: parseHex(readFileSync(path, 'utf8'), path), origin: 'file' };
}
