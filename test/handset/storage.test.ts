/**
 * Secure storage: the wallet file is sealed under the identity, integrity-checked under
 * the device secret, written atomically, and anything altered is a typed StorageError —
 * never a crash, never a wallet that pays from untrusted bytes.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NO_END, SW } from '../../protocol';
import { createPhone, StorageError } from '../../handset';
import { writeFileAtomic } from '../../handset/storage/atomic-file';
import { hmac, integrityKey } from '../../handset/storage/keys';
import { accessFromJson, accessToJson, EMPTY_ACCESS } from '../../handset/storage/records';
import { WalletStore } from '../../handset/storage/wallet-store';
import { activatedRig, IMEI, IMSI, OTHER_IMEI, removeTempDirs, tempDir } from './support/setup';

afterEach(removeTempDirs);

const storageError = (f: () => unknown): StorageError => {
  try {
    f();
  } catch (error) {
    if (error instanceof StorageError) return error;
    throw error;
  }
  throw new Error('expected a StorageError');
};

/** Parts of wallet.dat: magic, access JSON, sealed bytes (see wallet-store.ts). */
function parts(file: Buffer): { access: Buffer; sealed: Buffer } {
  const accessLength = file.readUInt32BE(4);
  const access = file.subarray(8, 8 + accessLength);
  const sealedLength = file.readUInt32BE(8 + accessLength);
  const sealed = file.subarray(12 + accessLength, 12 + accessLength + sealedLength);
  return { access, sealed };
}

/** Rebuilds a wallet file with a valid MAC, as only someone holding the device secret could. */
function reframe(stateDir: string, magic: string, access: Buffer, sealed: Buffer): void {
  const secret = readFileSync(join(stateDir, 'device.secret'));
  const u32 = (n: number): Buffer => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  const body = Buffer.concat([
    Buffer.from(magic),
    u32(access.length),
    access,
    u32(sealed.length),
    sealed,
  ]);
  writeFileSync(
    join(stateDir, 'wallet.dat'),
    Buffer.concat([body, hmac(integrityKey(secret), body)]),
  );
}

describe('wallet file integrity', () => {
  it('a flipped byte anywhere is a typed error; the phone comes up locked, not crashed', async () => {
    const rig = await activatedRig();
    await rig.terminal.pay(rig.terminal.request(10));
    const path = join(rig.stateDir, 'wallet.dat');
    const original = readFileSync(path);
    for (const at of [0, 10, Math.floor(original.length / 2), original.length - 1]) {
      const bytes = Buffer.from(original);
      bytes[at] = (bytes[at] as number) ^ 0x40;
      writeFileSync(path, bytes);
      const store = new WalletStore(
        rig.stateDir,
        readFileSync(join(rig.stateDir, 'device.secret')),
      );
      expect(storageError(() => store.load({ imei: IMEI, imsi: IMSI })).code).toBe('tampered');
    }

    const phone = rig.reopen();
    rig.field.present(phone);
    expect(phone.snapshot().wallet).toMatchObject({ state: 'locked', storage: 'fault' });
    const { fci } = await rig.terminal.select();
    expect(fci?.walletState).toBe('locked');
    expect((await rig.terminal.pay(rig.terminal.request(10), { select: false })).sw).toBe(
      SW.locked,
    );
    expect(rig.internalErrors).toEqual([]);
  });

  it('a truncated or emptied file is a typed error', async () => {
    const rig = await activatedRig();
    const path = join(rig.stateDir, 'wallet.dat');
    const store = new WalletStore(rig.stateDir, readFileSync(join(rig.stateDir, 'device.secret')));
    for (const length of [0, 5, 40, readFileSync(path).length - 1]) {
      writeFileSync(path, readFileSync(path).subarray(0, length));
      expect(storageError(() => store.load({ imei: IMEI, imsi: IMSI })).code).toMatch(
        /^(tampered|corrupt)$/,
      );
    }
  });

  it('a sealed part replaced under a valid MAC is detected as tampering, not as a swap', async () => {
    const rig = await activatedRig();
    const { access, sealed } = parts(readFileSync(join(rig.stateDir, 'wallet.dat')));
    const altered = Buffer.from(sealed);
    altered[20] = (altered[20] as number) ^ 0x01;
    reframe(rig.stateDir, 'TSW1', access, altered);
    const phone = rig.reopen();
    expect(phone.snapshot().wallet).toMatchObject({ state: 'locked', storage: 'fault' });
    expect(phone.snapshot().wallet.reason).toMatch(/tampered/);
    // Under another identity the same file reads as a binding mismatch instead.
    reframe(rig.stateDir, 'TSW1', access, sealed);
    expect(rig.reopen({ imei: OTHER_IMEI }).snapshot().wallet.storage).toBe(
      'sealed_other_identity',
    );
  });

  it('refuses a file of another format version and unreadable access records', async () => {
    const rig = await activatedRig();
    const store = new WalletStore(rig.stateDir, readFileSync(join(rig.stateDir, 'device.secret')));
    const { access, sealed } = parts(readFileSync(join(rig.stateDir, 'wallet.dat')));
    reframe(rig.stateDir, 'TSW9', access, sealed);
    expect(storageError(() => store.load({ imei: IMEI, imsi: IMSI })).code).toBe(
      'unsupported_version',
    );
    const json = JSON.parse(access.toString()) as Record<string, unknown>;
    for (const change of [{ state: 'happy' }, { since: -1 }, { issuerKeys: 'x' }, { params: 3 }]) {
      reframe(rig.stateDir, 'TSW1', Buffer.from(JSON.stringify({ ...json, ...change })), sealed);
      expect(storageError(() => store.load({ imei: IMEI, imsi: IMSI })).code).toBe('corrupt');
    }
    reframe(rig.stateDir, 'TSW1', Buffer.from('not json'), sealed);
    expect(storageError(() => store.load({ imei: IMEI, imsi: IMSI })).code).toBe('corrupt');
  });

  it('refuses a device secret or device state it did not write', () => {
    const stateDir = tempDir();
    writeFileSync(join(stateDir, 'device.secret'), Buffer.alloc(7));
    expect(() => createPhone({ stateDir, imei: IMEI, imsi: IMSI })).toThrow(StorageError);
    const other = tempDir();
    writeFileSync(join(other, 'device.json'), '{"powered":"yes"}');
    expect(() => createPhone({ stateDir: other, imei: IMEI, imsi: IMSI })).toThrow(StorageError);
  });
});

describe('atomic writes', () => {
  it('replaces the file whole and leaves no temporary file behind', () => {
    const dir = tempDir();
    const path = join(dir, 'x.bin');
    writeFileAtomic(path, Buffer.from('old'));
    writeFileAtomic(path, Buffer.from('new contents'));
    expect(readFileSync(path, 'utf8')).toBe('new contents');
    expect(readdirSync(dir)).toEqual(['x.bin']);
  });

  it('creates a new phone folder with its secret, and nothing sealed before activation', () => {
    const stateDir = join(tempDir(), 'nested', 'phone');
    const phone = createPhone({ stateDir, imei: IMEI, imsi: IMSI });
    expect(readFileSync(join(stateDir, 'device.secret'))).toHaveLength(32);
    expect(existsSync(join(stateDir, 'wallet.dat'))).toBe(false);
    expect(phone.snapshot().wallet).toMatchObject({ state: 'not_activated', storage: 'empty' });
  });
});

describe('access record format', () => {
  it('reads a file from before keys had end dates and terminals were certified', () => {
    const key = '02'.padEnd(66, '1');
    const legacy = JSON.stringify({
      walletId: '00'.repeat(16),
      state: 'active',
      since: 1,
      reason: 'activated',
      params: { T: 1, T1: 2, T2: 3 },
      issuerKeys: [key],
      notificationSequence: 4,
      identityFingerprint: null,
      wipedAt: null,
    });
    const access = accessFromJson(legacy);
    expect(access.issuerKeys).toEqual([
      { publicKey: Uint8Array.from(Buffer.from(key, 'hex')), validUntil: NO_END },
    ]);
    expect(access.suspendedTerminals).toEqual([]);
    expect(accessFromJson(accessToJson(access))).toEqual(access);
  });

  it('refuses a suspended list that is not whole numbers', () => {
    const access = JSON.parse(accessToJson(EMPTY_ACCESS)) as Record<string, unknown>;
    access.suspendedTerminals = [1, -2];
    expect(() => accessFromJson(JSON.stringify(access))).toThrow(StorageError);
  });
});
