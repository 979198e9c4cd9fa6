/**
 * Password hashing with scrypt (node:crypto). Stored form, self-describing so the
 * parameters can be raised later without invalidating existing hashes:
 *
 *   scrypt$<N>$<r>$<p>$<salt, base64>$<hash, base64>
 *
 * N, r, p in canonical decimal; salt and hash in standard base64 with padding. New hashes
 * use N=2^15, r=8, p=1, a 16-byte random salt and a 32-byte hash. The password is the
 * UTF-8 of its NFKC normalisation (NIST SP 800-63B), so the same password typed on
 * different keyboards hashes alike.
 *
 * verifyPassword answers false only for a wrong password. A stored string that is
 * malformed or names parameters outside the bounds below is corrupt data or an attack on
 * our CPU/memory, not a wrong guess: it throws ProtocolError bad_value (field passwordHash)
 * so the caller can log it instead of silently locking the user out.
 */
import { randomBytes, scrypt, scryptSync, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { ProtocolError } from '../errors';

export const SCRYPT_N = 2 ** 15;
export const SCRYPT_R = 8;
export const SCRYPT_P = 1;
export const PASSWORD_SALT_SIZE = 16;
export const PASSWORD_HASH_SIZE = 32;
/** Longer passwords are refused (hash) or cannot match (verify): bounds the work per call. */
export const MAX_PASSWORD_BYTES = 1024;

// Bounds on what a stored string may ask for: at most 8x our memory (128*N*r = 32 MiB) and
// 64x our work (N*r*p), at least half our N; salts and hashes of sane sizes.
const MIN_N = 2 ** 14;
const MAX_MEMORY = 256 * 1024 * 1024;
const MAX_WORK = 64 * SCRYPT_N * SCRYPT_R * SCRYPT_P;
const MAX_P = 16;
const SALT_BYTES = { min: 16, max: 64 };
const HASH_BYTES = { min: 32, max: 64 };

interface Params {
  readonly N: number;
  readonly r: number;
  readonly p: number;
  readonly salt: Buffer;
  readonly hash: Buffer;
}

function options({ N, r, p }: Pick<Params, 'N' | 'r' | 'p'>): ScryptOptions {
  // OpenSSL needs 128*r*(N+p+2) bytes, just over node's 32 MiB default for our N and r;
  // twice 128*N*r covers it for every N >= MIN_N and p <= MAX_P.
  return { N, r, p, maxmem: 2 * 128 * N * r };
}

function passwordBytes(password: string): Buffer {
  return Buffer.from(password.normalize('NFKC'), 'utf8');
}

function bad(detail: string): ProtocolError {
  return new ProtocolError('bad_value', 'passwordHash', detail);
}

// Canonical decimal only (no sign, no leading zero, no exponent); NaN fails every bound below.
const decimal = (text: string): number => (/^[1-9][0-9]{0,8}$/.test(text) ? Number(text) : NaN);

function base64(text: string, { min, max }: { min: number; max: number }, what: string): Buffer {
  const bytes = Buffer.from(text, 'base64');
  // Buffer.from skips junk silently; only the canonical spelling of the bytes is accepted.
  if (bytes.toString('base64') !== text) throw bad(`${what} is not canonical base64`);
  if (bytes.length < min || bytes.length > max) throw bad(`${what} must be ${min}..${max} bytes`);
  return bytes;
}

function parse(stored: string): Params {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') throw bad('not scrypt$N$r$p$salt$hash');
  const [N, r, p] = parts.slice(1, 4).map(decimal) as [number, number, number];
  if (!(N >= MIN_N) || !Number.isInteger(Math.log2(N)))
    throw bad('N must be a power of two >= 2^14');
  if (!(r >= 1) || !(p >= 1) || p > MAX_P) throw bad('r or p out of range');
  if (128 * N * r > MAX_MEMORY || N * r * p > MAX_WORK) throw bad('parameters too costly');
  const salt = base64(parts[4] as string, SALT_BYTES, 'salt');
  const hash = base64(parts[5] as string, HASH_BYTES, 'hash');
  return { N, r, p, salt, hash };
}

const DEFAULTS = { N: SCRYPT_N, r: SCRYPT_R, p: SCRYPT_P } as const;

function format({ N, r, p, salt, hash }: Params): string {
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

function checkLength(bytes: Buffer): void {
  if (bytes.length > MAX_PASSWORD_BYTES) {
    throw new ProtocolError('bad_value', 'password', `longer than ${MAX_PASSWORD_BYTES} bytes`);
  }
}

function scryptAsync(
  password: Buffer,
  salt: Buffer,
  length: number,
  opts: ScryptOptions,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, length, opts, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** Hashes off the event loop (libuv thread pool); the platform must use this one. */
export async function hashPassword(password: string): Promise<string> {
  const bytes = passwordBytes(password);
  checkLength(bytes);
  const salt = randomBytes(PASSWORD_SALT_SIZE);
  const hash = await scryptAsync(bytes, salt, PASSWORD_HASH_SIZE, options(DEFAULTS));
  return format({ ...DEFAULTS, salt, hash });
}

/** True iff `password` matches `stored`; throws ProtocolError bad_value if `stored` is malformed. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const params = parse(stored);
  const bytes = passwordBytes(password);
  if (bytes.length > MAX_PASSWORD_BYTES) return false;
  const hash = await scryptAsync(bytes, params.salt, params.hash.length, options(params));
  return timingSafeEqual(hash, params.hash);
}

/** Blocking variant for scripts and tests; never call it on a server's request path. */
export function hashPasswordSync(password: string): string {
  const bytes = passwordBytes(password);
  checkLength(bytes);
  const salt = randomBytes(PASSWORD_SALT_SIZE);
  return format({
    ...DEFAULTS,
    salt,
    hash: scryptSync(bytes, salt, PASSWORD_HASH_SIZE, options(DEFAULTS)),
  });
}

/** Blocking variant of verifyPassword. */
export function verifyPasswordSync(password: string, stored: string): boolean {
  const params = parse(stored);
  const bytes = passwordBytes(password);
  if (bytes.length > MAX_PASSWORD_BYTES) return false;
  return timingSafeEqual(
    scryptSync(bytes, params.salt, params.hash.length, options(params)),
    params.hash,
  );
}
