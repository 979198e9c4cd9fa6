/**
 * The hotlist in force, persisted beside the ledger in files rather than a million SQLite
 * rows, so a restart maps it back into typed arrays in tens of milliseconds.
 *
 * A list is a large sorted `base` and a small sorted `overlay` (the recent deltas). The
 * base lives in a file of its own, named after its SHA-256 and never rewritten; the main
 * file (small: overlay, notices, version, the base's digest) is replaced atomically
 * (temporary file, fsync, rename, fsync of the folder), so a delta costs a small write and
 * the pair on disk is always one whole list. A digest mismatch refuses a damaged file (the
 * terminal then has no hotlist and fetches a full one). It guards against a damaged disk,
 * not an attacker who can write the terminal's files (who could recompute it).
 *
 * Layouts, little-endian, each with a 64-byte header:
 *   main "TSHL": format 2, version f64, issuedAt f64, overlay count u32, notice count u32,
 *     SHA-256 of the rest; then the base's SHA-256 (32), the overlay arrays, then each
 *     notice: walletId (16), sequence (f64), length (u32), envelope.
 *   base "TSHB": format 2, count u32 at 8; then the base arrays.
 *   arrays: ids (count × 16, ascending), reasons (count bytes), padding to 8, revokedAt
 *     (count × f64).
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { open, readdir, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { sha256 } from '../protocol';

export const WALLET_ID_SIZE = 16;

export interface HotlistNotice {
  readonly walletId: Uint8Array;
  readonly sequence: number;
  /** The signed notification envelope, as the hotlist carried it. */
  readonly envelope: Uint8Array;
}

/** Entries as parallel arrays ordered by walletId (ids strictly ascending). */
export interface HotlistArrays {
  readonly ids: Uint8Array;
  readonly reasons: Uint8Array;
  readonly revokedAt: Float64Array;
}

/** A whole hotlist: base and overlay hold disjoint wallets. */
export interface HotlistSnapshot {
  readonly version: number;
  readonly issuedAt: number;
  readonly base: HotlistArrays;
  readonly overlay: HotlistArrays;
  readonly notices: readonly HotlistNotice[];
}

export class HotlistFileError extends Error {
  override readonly name = 'HotlistFileError';
}

const MAIN_MAGIC = 0x4c485354; // "TSHL" as a little-endian u32
const BASE_MAGIC = 0x42485354; // "TSHB"
const FORMAT = 2;
const HEADER = 64;
const align8 = (n: number) => (n + 7) & ~7;
const arraysSize = (count: number) => align8(count * (WALLET_ID_SIZE + 1)) + count * 8;

export function emptyArrays(): HotlistArrays {
  return { ids: new Uint8Array(0), reasons: new Uint8Array(0), revokedAt: new Float64Array(0) };
}

function writeArrays(out: Buffer, at: number, arrays: HotlistArrays): number {
  const count = arrays.reasons.length;
  out.set(arrays.ids.subarray(0, count * WALLET_ID_SIZE), at);
  out.set(arrays.reasons, at + count * WALLET_ID_SIZE);
  const revokedAt = align8(at + count * (WALLET_ID_SIZE + 1));
  out.set(
    new Uint8Array(arrays.revokedAt.buffer, arrays.revokedAt.byteOffset, count * 8),
    revokedAt,
  );
  return revokedAt + count * 8;
}

/** Views on `data` (whose buffer offset + `at` must be 8-aligned). */
function readArrays(data: Buffer, at: number, count: number): HotlistArrays {
  const base = data.byteOffset + at;
  return {
    ids: new Uint8Array(data.buffer, base, count * WALLET_ID_SIZE),
    reasons: new Uint8Array(data.buffer, base + count * WALLET_ID_SIZE, count),
    revokedAt: new Float64Array(
      data.buffer,
      data.byteOffset + align8(at + count * (WALLET_ID_SIZE + 1)),
      count,
    ),
  };
}

function fail(why: string): never {
  throw new HotlistFileError(`the hotlist file is damaged: ${why}`);
}

/** Own, 8-aligned memory for a buffer read from disk or handed in. */
function aligned(file: Uint8Array): Buffer {
  const bytes = file.byteOffset % 8 === 0 ? file : new Uint8Array(file);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}

export function encodeBase(base: HotlistArrays): Buffer {
  const out = Buffer.alloc(HEADER + arraysSize(base.reasons.length));
  out.writeUInt32LE(BASE_MAGIC, 0);
  out.writeUInt32LE(FORMAT, 4);
  out.writeUInt32LE(base.reasons.length, 8);
  writeArrays(out, HEADER, base);
  return out;
}

export function decodeBase(file: Uint8Array, digest: Uint8Array): HotlistArrays {
  const data = aligned(file);
  if (data.length < HEADER || data.readUInt32LE(0) !== BASE_MAGIC) fail('not a hotlist base');
  if (!Buffer.from(sha256(data)).equals(digest)) fail("the base's digest does not match");
  const count = data.readUInt32LE(8);
  if (data.length !== HEADER + arraysSize(count)) fail('the base has the wrong size');
  return readArrays(data, HEADER, count);
}

export function encodeMain(snapshot: HotlistSnapshot, baseDigest: Uint8Array): Buffer {
  const overlayCount = snapshot.overlay.reasons.length;
  const noticesSize = snapshot.notices.reduce((n, x) => n + 28 + x.envelope.length, 0);
  const out = Buffer.alloc(HEADER + 32 + arraysSize(overlayCount) + noticesSize);
  out.writeUInt32LE(MAIN_MAGIC, 0);
  out.writeUInt32LE(FORMAT, 4);
  out.writeDoubleLE(snapshot.version, 8);
  out.writeDoubleLE(snapshot.issuedAt, 16);
  out.writeUInt32LE(overlayCount, 24);
  out.writeUInt32LE(snapshot.notices.length, 28);
  out.set(baseDigest, HEADER);
  let at = writeArrays(out, HEADER + 32, snapshot.overlay);
  for (const notice of snapshot.notices) {
    out.set(notice.walletId, at);
    out.writeDoubleLE(notice.sequence, at + 16);
    out.writeUInt32LE(notice.envelope.length, at + 24);
    out.set(notice.envelope, at + 28);
    at += 28 + notice.envelope.length;
  }
  out.set(sha256(out.subarray(HEADER)), 32);
  return out;
}

export interface DecodedMain {
  readonly version: number;
  readonly issuedAt: number;
  readonly baseDigest: Uint8Array;
  readonly overlay: HotlistArrays;
  readonly notices: HotlistNotice[];
}

export function decodeMain(file: Uint8Array): DecodedMain {
  const data = aligned(file);
  if (data.length < HEADER + 32 || data.readUInt32LE(0) !== MAIN_MAGIC) {
    fail('not a hotlist file');
  }
  if (data.readUInt32LE(4) !== FORMAT) fail(`format ${data.readUInt32LE(4)} is unknown`);
  if (!Buffer.from(sha256(data.subarray(HEADER))).equals(data.subarray(32, HEADER))) {
    fail('its digest does not match');
  }
  const overlayCount = data.readUInt32LE(24);
  let at = HEADER + 32 + arraysSize(overlayCount);
  if (data.length < at) fail('truncated');
  const notices: HotlistNotice[] = [];
  for (let i = 0; i < data.readUInt32LE(28); i++) {
    const length = at + 28 <= data.length ? data.readUInt32LE(at + 24) : Infinity;
    if (at + 28 + length > data.length) fail('truncated notices');
    notices.push({
      walletId: data.slice(at, at + 16),
      sequence: data.readDoubleLE(at + 16),
      envelope: new Uint8Array(data.subarray(at + 28, at + 28 + length)),
    });
    at += 28 + length;
  }
  if (at !== data.length) fail('trailing bytes');
  return {
    version: data.readDoubleLE(8),
    issuedAt: data.readDoubleLE(16),
    baseDigest: data.slice(HEADER, HEADER + 32),
    overlay: readArrays(data, HEADER + 32, overlayCount),
    notices,
  };
}

/** Reads a whole file into memory of its own (8-aligned, no pooled Buffer, no copy). */
function readWhole(path: string): Uint8Array | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const file = new Uint8Array(new ArrayBuffer(fstatSync(fd).size));
    for (let at = 0; at < file.length;) {
      const read = readSync(fd, file, at, file.length - at, at);
      if (read === 0) fail('truncated');
      at += read;
    }
    return file;
  } finally {
    closeSync(fd);
  }
}

async function writeDurably(path: string, bytes: Uint8Array): Promise<void> {
  const temporary = `${path}.tmp`;
  const file = await open(temporary, 'w', 0o644);
  try {
    for (let at = 0; at < bytes.length;) {
      at += (await file.write(bytes, at, bytes.length - at, at)).bytesWritten;
    }
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temporary, path);
}

/** The hotlist files of a terminal: `load()` gives undefined when there is none yet. */
export class HotlistStore {
  /** Digests of bases known to be on disk (written or loaded by this store). */
  readonly #written = new WeakMap<Uint8Array, Uint8Array>();

  constructor(readonly path: string) {}

  private basePath(digest: Uint8Array): string {
    return `${this.path}.base-${Buffer.from(digest).toString('hex').slice(0, 32)}`;
  }

  load(): HotlistSnapshot | undefined {
    const main = readWhole(this.path);
    if (main === undefined) return undefined;
    const decoded = decodeMain(main);
    const baseFile = readWhole(this.basePath(decoded.baseDigest));
    if (baseFile === undefined) fail('its base file is missing');
    const base = decodeBase(baseFile, decoded.baseDigest);
    this.#written.set(base.ids, decoded.baseDigest);
    const { version, issuedAt, overlay, notices } = decoded;
    return { version, issuedAt, base, overlay, notices };
  }

  /**
   * Replaces the list with `snapshot`, durably: a new base file first when the base is
   * new, then the main file. Asynchronous: a 25 MB base's write and fsync must not stall
   * a tap. Base files no longer named are removed afterwards.
   */
  async save(snapshot: HotlistSnapshot): Promise<void> {
    let digest = this.#written.get(snapshot.base.ids);
    if (digest === undefined) {
      const base = encodeBase(snapshot.base);
      digest = sha256(base);
      await writeDurably(this.basePath(digest), base);
      this.#written.set(snapshot.base.ids, digest);
    }
    await writeDurably(this.path, encodeMain(snapshot, digest));
    const dir = await open(dirname(this.path), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
    const keep = basename(this.basePath(digest));
    const prefix = `${basename(this.path)}.base-`;
    for (const name of await readdir(dirname(this.path))) {
      if (name.startsWith(prefix) && name !== keep) {
        await unlink(join(dirname(this.path), name)).catch(() => undefined);
      }
    }
  }
}
