/**
 * The terminal's private key at rest: its 32-byte scalar, sealed by a KeySealer, in a file
 * of its own beside the ledger (never in the ledger, which is backed up and copied).
 *
 * The default sealer (`fileKeySealer`) does not encrypt: the file is created with mode 0600,
 * so other local accounts cannot read it, but the same account, root, a backup of the
 * folder or a stolen disk can. main/electron passes a sealer over Electron's safeStorage
 * (the OS keychain / DPAPI / libsecret), which encrypts under a key the OS keeps for the
 * user; the file stays 0600 either way.
 */
import {
  closeSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  writeSync,
  chmodSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { exportScalar, signingKeyFromScalar, type SigningKey } from '../../../protocol';
import { TerminalError } from '../errors';

export interface KeySealer {
  readonly kind: 'safe-storage' | 'file';
  seal(bytes: Uint8Array): Buffer;
  open(sealed: Buffer): Buffer;
}

export const KEY_FILE_NAME = 'terminal-key.sealed';

/** Version byte 01 then the scalar: protection comes from the file's 0600 mode alone. */
export const fileKeySealer: KeySealer = {
  kind: 'file',
  seal: (bytes) => Buffer.concat([Buffer.of(1), bytes]),
  open(sealed) {
    if (sealed[0] !== 1) throw new Error('not a plain key file (version byte)');
    return sealed.subarray(1);
  },
};

export function keyFilePath(dataDir: string): string {
  return join(dataDir, KEY_FILE_NAME);
}

/** Writes the sealed key durably (0600 from creation, fsync, rename, fsync of the folder). */
export function writeKeyFile(path: string, key: SigningKey, sealer: KeySealer): void {
  const sealed = sealer.seal(exportScalar(key));
  const temporary = `${path}.tmp`;
  try {
    const fd = openSync(temporary, 'w', 0o600);
    try {
      writeSync(fd, sealed);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    chmodSync(temporary, 0o600); // an existing temporary file keeps its mode otherwise
    renameSync(temporary, path);
    const dir = openSync(dirname(path), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  } catch (error) {
    throw new TerminalError(
      'key_storage',
      `cannot store the terminal key: ${(error as Error).message}`,
    );
  }
}

/** Reads and opens the key; `key_missing` / `key_unreadable` when it cannot. */
export function readKeyFile(path: string, sealer: KeySealer): SigningKey {
  let sealed: Buffer;
  try {
    sealed = readFileSync(path);
    // Looser permissions (a copy, a restore) are put back before the key is used.
    if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  } catch (error) {
    throw new TerminalError(
      'key_missing',
      `the terminal key cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}): enroll the terminal again`,
    );
  }
  try {
    return signingKeyFromScalar(sealer.open(sealed));
  } catch {
    throw new TerminalError(
      'key_unreadable',
      `the terminal key does not open with the ${sealer.kind} sealer: enroll the terminal again`,
    );
  }
}
