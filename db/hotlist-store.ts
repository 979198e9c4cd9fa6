/**
 * The hotlist in force, persisted beside the ledger as one file rather than a million
 * SQLite rows: a restart maps it back into typed arrays in tens of milliseconds. The file
 * is replaced atomically (temporary file, fsync, rename, fsync of the folder), so it is
 * always one whole list; a SHA-256 over its content refuses a damaged file (the terminal
 * then has no hotlist and fetches a full one). It guards against a damaged disk, not an
 * attacker who can write the terminal's files (who could recompute it).
 *
 * Layout, little-endian: header (64 bytes: "TSHL", format 1, version f64, issuedAt f64,
 * count u32, notice count u32, SHA-256 of everything after the header), then the ids
 * (count × 16 bytes, ascending), the reasons (count bytes), padding to 8, revokedAt
 * (count × f64), then each notice: walletId (16), sequence (f64), length (u32), envelope.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { sha256 } from '../protocol';

export const WALLET_ID_SIZE = 16;

export interface HotlistNotice {
  readonly walletId: Uint8Array;
  readonly sequence: number;
  /** The signed notification envelope, as the hotlist carried it. */
  readonly envelope: Uint8Array;
}

/** A whole hotlist: parallel arrays ordered by walletId. */
export interface HotlistSnapshot {
  readonly version: number;
  readonly issuedAt: number;
  /** count × 16 bytes, strictly ascending. */
  readonly ids: Uint8Array;
  readonly reasons: Uint8Array;
  readonly revokedAt: Float64Array;
  readonly notices: readonly HotlistNotice[];
}

export class HotlistFileError extends Error {
  override readonly name = 'HotlistFileError';
}

const MAGIC = 0x4c485354; // "TSHL" read as little-endian u32
const FORMAT = 1;
const HEADER = 64;
const align8 = (n: number) => (n + 7) & ~7;

export function encodeHotlist(snapshot: HotlistSnapshot): Buffer {
  const count = snapshot.reasons.length;
  const revokedOffset = align8(HEADER + count * WALLET_ID_SIZE + count);
  const noticesSize = snapshot.notices.reduce((n, x) => n + 28 + x.envelope.length, 0);
  const out = Buffer.alloc(revokedOffset + count * 8 + noticesSize);
  out.writeUInt32LE(MAGIC, 0);
  out.writeUInt32LE(FORMAT, 4);
  out.writeDoubleLE(snapshot.version, 8);
  out.writeDoubleLE(snapshot.issuedAt, 16);
  out.writeUInt32LE(count, 24);
  out.writeUInt32LE(snapshot.notices.length, 28);
  out.set(snapshot.ids.subarray(0, count * WALLET_ID_SIZE), HEADER);
  out.set(snapshot.reasons, HEADER + count * WALLET_ID_SIZE);
  const revoked = Buffer.from(snapshot.revokedAt.buffer, snapshot.revokedAt.byteOffset, count * 8);
  out.set(revoked, revokedOffset);
  let at = revokedOffset + count * 8;
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

/**
 * Decodes a hotlist file. The arrays are views on `file`'s memory when it is 8-aligned
 * (HotlistStore reads into such memory), else on one aligned copy. The digest is the only
 * check of the arrays: it proves them to be what this code wrote (in order), and re-checking
 * a million ids would double the load time.
 */
export function decodeHotlist(file: Uint8Array): HotlistSnapshot {
  const fail = (why: string): never => {
    throw new HotlistFileError(`the hotlist file is damaged: ${why}`);
  };
  const bytes = file.byteOffset % 8 === 0 ? file : new Uint8Array(file);
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  if (data.length < HEADER || data.readUInt32LE(0) !== MAGIC) fail('not a hotlist file');
  if (data.readUInt32LE(4) !== FORMAT) fail(`format ${data.readUInt32LE(4)} is unknown`);
  if (!Buffer.from(sha256(data.subarray(HEADER))).equals(data.subarray(32, 64))) {
    fail('its digest does not match');
  }
  const count = data.readUInt32LE(24);
  const noticeCount = data.readUInt32LE(28);
  const revokedOffset = align8(HEADER + count * WALLET_ID_SIZE + count);
  if (data.length < revokedOffset + count * 8) fail('truncated');
  const notices: HotlistNotice[] = [];
  let at = revokedOffset + count * 8;
  for (let i = 0; i < noticeCount; i++) {
    if (at + 28 > data.length) fail('truncated notices');
    const length = data.readUInt32LE(at + 24);
    if (at + 28 + length > data.length) fail('truncated notices');
    notices.push({
      walletId: data.slice(at, at + 16),
      sequence: data.readDoubleLE(at + 16),
      envelope: new Uint8Array(data.subarray(at + 28, at + 28 + length)),
    });
    at += 28 + length;
  }
  if (at !== data.length) fail('trailing bytes');
  const base = data.byteOffset;
  return {
    version: data.readDoubleLE(8),
    issuedAt: data.readDoubleLE(16),
    ids: new Uint8Array(data.buffer, base + HEADER, count * WALLET_ID_SIZE),
    reasons: new Uint8Array(data.buffer, base + HEADER + count * WALLET_ID_SIZE, count),
    revokedAt: new Float64Array(data.buffer, base + revokedOffset, count),
    notices,
  };
}

/** The hotlist file of a terminal: `load()` gives undefined when there is none yet. */
export class HotlistStore {
  constructor(readonly path: string) {}

  load(): HotlistSnapshot | undefined {
    let fd: number;
    try {
      fd = openSync(this.path, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      // Straight into memory of our own (8-aligned, no pooled Buffer, no second copy).
      const file = new Uint8Array(new ArrayBuffer(fstatSync(fd).size));
      for (let at = 0; at < file.length;) {
        const read = readSync(fd, file, at, file.length - at, at);
        if (read === 0) break;
        at += read;
      }
      return decodeHotlist(file);
    } finally {
      closeSync(fd);
    }
  }

  /**
   * Replaces the file with `snapshot`, durably. Asynchronous: at a million entries the
   * write and fsync take a good part of a second, which must not stall a tap.
   */
  async save(snapshot: HotlistSnapshot): Promise<void> {
    const bytes = encodeHotlist(snapshot);
    const temporary = `${this.path}.tmp`;
    const file = await open(temporary, 'w', 0o644);
    try {
      for (let at = 0; at < bytes.length;) {
        at += (await file.write(bytes, at, bytes.length - at, at)).bytesWritten;
      }
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, this.path);
    const dir = await open(dirname(this.path), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }
}
