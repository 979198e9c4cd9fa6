/**
 * Crash-safe file replacement. A phone can die at any instant (battery pulled, process
 * killed), and its wallet file must then hold either the old state or the new one, never a
 * mix: write a temporary file beside the target, fsync it so its bytes are on disk, rename
 * it over the target (atomic on POSIX file systems), then fsync the directory so the rename
 * itself survives a power loss. Synchronous on purpose: the applet answers an APDU only
 * after its new state is durable, and APDU processing is synchronous.
 */
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Replaces `path` with `bytes` atomically and durably. `mode` applies to a new file. */
export function writeFileAtomic(path: string, bytes: Uint8Array, mode = 0o600): void {
  const directory = dirname(path);
  // One temporary name per process: two writers in one folder would be a bug anyway, and a
  // fixed name means a crash leaves at most one stale temp file, overwritten next time.
  const temp = join(directory, `.${basename(path)}.${process.pid}.tmp`);
  const fd = openSync(temp, 'w', mode);
  try {
    let written = 0;
    while (written < bytes.length) {
      written += writeSync(fd, bytes, written, bytes.length - written);
    }
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    unlinkQuietly(temp);
    throw error;
  }
  closeSync(fd);
  try {
    renameSync(temp, path);
  } catch (error) {
    unlinkQuietly(temp);
    throw error;
  }
  fsyncDirectory(directory);
}

/** The file's bytes, or undefined when it does not exist (any other error is thrown). */
export function readFileIfExists(path: string): Uint8Array | undefined {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Creates the folder (and parents) with owner-only access, as a phone's private data is. */
export function ensureDirectory(path: string): void {
  mkdirSync(path, { recursive: true, mode: 0o700 });
}

function fsyncDirectory(directory: string): void {
  const fd = openSync(directory, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone or never created: nothing to clean up.
  }
}

function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}
