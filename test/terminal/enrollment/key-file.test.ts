/** The sealed key file: mode 0600, restored when loosened, refused when missing or unopenable. */
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportScalar, generateSigningKey } from '../../../protocol';
import {
  fileKeySealer,
  keyFilePath,
  readKeyFile,
  writeKeyFile,
  type KeySealer,
} from '../../../main/terminal/enrollment/key-file';
import { TerminalError } from '../../../main/terminal/errors';

const dir = mkdtempSync(join(tmpdir(), 'tapsafe-key-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Stands in for safeStorage: a sealer whose output does not contain the key. */
const xorSealer: KeySealer = {
  kind: 'safe-storage',
  seal: (bytes) => Buffer.from(bytes.map((b) => b ^ 0x5a)),
  open: (sealed) => Buffer.from(sealed.map((b) => b ^ 0x5a)),
};

function thrown(work: () => unknown): TerminalError {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(TerminalError);
    return error as TerminalError;
  }
  throw new Error('did not throw');
}

describe('the terminal key file', () => {
  it('is written 0600 through the sealer and read back to the same key', () => {
    const key = generateSigningKey();
    for (const sealer of [fileKeySealer, xorSealer]) {
      const path = join(dir, `${sealer.kind}.key`);
      writeKeyFile(path, key, sealer);
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(Buffer.from(readKeyFile(path, sealer).publicKey)).toEqual(Buffer.from(key.publicKey));
      const onDisk = readFileSync(path);
      expect(onDisk.includes(Buffer.from(exportScalar(key)))).toBe(sealer.kind === 'file');
    }
  });

  it('puts 0600 back when the file was loosened (a copy, a restore)', () => {
    const path = keyFilePath(dir);
    writeKeyFile(path, generateSigningKey(), fileKeySealer);
    chmodSync(path, 0o644);
    readKeyFile(path, fileKeySealer);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('refuses a missing file, another sealer, and garbage', () => {
    expect(thrown(() => readKeyFile(join(dir, 'none'), fileKeySealer)).code).toBe('key_missing');
    const path = join(dir, 'sealed-elsewhere.key');
    writeKeyFile(path, generateSigningKey(), xorSealer);
    expect(thrown(() => readKeyFile(path, fileKeySealer)).code).toBe('key_unreadable');
    writeFileSync(path, Buffer.of(1, 2, 3));
    expect(thrown(() => readKeyFile(path, fileKeySealer)).code).toBe('key_unreadable');
  });
});
