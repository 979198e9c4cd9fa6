/**
 * The master secret that seals the platform's private keys at rest. Sources, first wins:
 * 1. `PLATFORM_MASTER_KEY`: 32 bytes as 64 hex characters or base64 — inject it from a
 *    secret store, and keep it apart from database backups;
 * 2. `PLATFORM_MASTER_KEY_FILE`: a path to a file holding the same (a mounted secret),
 *    refused when group or others may read it;
 * 3. on a shared PostgreSQL database (DATABASE_URL): nothing else. Every API node must
 *    open the same issuer keys, so the key comes from configuration they all share, never
 *    from one node's folder;
 * 4. `<dataDir>/master.key`: hex in a 0600 file, created on first start — the embedded /
 *    single-machine (PGlite) default; a file readable by group or others is refused;
 * 5. no data folder (memory database): a random key for this process only.
 * Losing the master key loses the issuer keys: certificates then need a new issuer key.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const MASTER_KEY_FILE = 'master.key';
export const MASTER_KEY_ENV = 'PLATFORM_MASTER_KEY';
export const MASTER_KEY_FILE_ENV = 'PLATFORM_MASTER_KEY_FILE';
const HEX_KEY = /^[0-9a-fA-F]{64}$/;
/** 32 bytes in base64 or base64url, padded or not. */
const BASE64_KEY = /^[A-Za-z0-9+/_-]{43}=?$/;
const KEY_FORMAT = '32 bytes: 64 hex characters or base64 (make one with: openssl rand -hex 32)';

export class MasterKeyError extends Error {
  override readonly name = 'MasterKeyError';
}

export interface MasterKeySource {
  /** The value of PLATFORM_MASTER_KEY, if set. */
  readonly env?: string | undefined;
  /** The value of PLATFORM_MASTER_KEY_FILE, if set. */
  readonly file?: string | undefined;
  /** The database is shared by several nodes (PostgreSQL): the key must come from env or file. */
  readonly shared?: boolean;
  /** The data folder holding master.key; undefined for a memory database. */
  readonly dataDir?: string | undefined;
}

export interface MasterKey {
  readonly key: Uint8Array;
  /** Where it came from, for `status` (never the key itself). */
  readonly origin: 'env' | 'key-file' | 'file' | 'created-file' | 'ephemeral';
}

/** The key in hex or base64; undefined when the text is neither form of 32 bytes. */
export function parseMasterKey(text: string): Uint8Array | undefined {
  const trimmed = text.trim();
  if (HEX_KEY.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (BASE64_KEY.test(trimmed)) {
    const key = Buffer.from(trimmed, 'base64'); // Node decodes base64url's - and _ as well
    if (key.length === 32) return key;
  }
  return undefined;
}

function parsed(text: string, where: string): Uint8Array {
  const key = parseMasterKey(text);
  if (key === undefined) throw new MasterKeyError(`${where} must be ${KEY_FORMAT}`);
  return key;
}

/** The file's key; refused when group or others may read it (it is the key to every issuer key). */
function readKeyFile(path: string, where: string): Uint8Array {
  let mode: number;
  try {
    mode = statSync(path).mode & 0o777;
  } catch (error) {
    throw new MasterKeyError(`${where}: cannot read ${path} (${(error as Error).message})`);
  }
  if ((mode & 0o077) !== 0) {
    throw new MasterKeyError(
      `${where}: ${path} is readable by others (mode ${mode.toString(8)}): chmod 600 it and consider the key exposed`,
    );
  }
  return parsed(readFileSync(path, 'utf8'), `${where} (${path})`);
}

export function resolveMasterKey({ env, file, shared, dataDir }: MasterKeySource): MasterKey {
  if (env !== undefined && env !== '') return { key: parsed(env, MASTER_KEY_ENV), origin: 'env' };
  if (file !== undefined && file !== '')
    return { key: readKeyFile(file, MASTER_KEY_FILE_ENV), origin: 'key-file' };
  if (shared === true) {
    throw new MasterKeyError(
      `a shared database (DATABASE_URL) needs the master key every node uses: set ${MASTER_KEY_ENV} or ${MASTER_KEY_FILE_ENV}`,
    );
  }
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
  return { key: readKeyFile(path, 'master key'), origin: 'file' };
}
