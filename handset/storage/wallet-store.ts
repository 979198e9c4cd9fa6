/**
 * The wallet file, `wallet.dat`: one file, so that one atomic rename commits the unsealed
 * access state and the sealed secrets together (a notice that disables the wallet and the
 * sequence number that makes it unrepeatable can never be half-written).
 *
 *   "TSW1" | u32 length | access JSON | u32 length | sealed secrets | HMAC-SHA256 (32)
 *
 * The HMAC, under a key from the device secret alone, covers everything before it, so a
 * locked phone can still trust its lock state. The sealed part is protocol/crypto/seal
 * (AES-256-GCM) under a key from the device secret, IMEI and IMSI, with the walletId as
 * associated data. Empty sealed part: not activated, or wiped.
 *
 * What this cannot stop, as no file-based emulation can: restoring a whole older copy of
 * the folder (rollback). A real secure element has a monotonic counter for that; here the
 * terminals and the platform catch the resulting counter reuse (double spend, S12).
 */
import { join } from 'node:path';
import { isProtocolError } from '../../protocol';
import { unseal, seal } from '../../protocol';
import type { DeviceIdentity } from '../device';
import { StorageError } from '../errors';
import { readFileIfExists, writeFileAtomic } from './atomic-file';
import { equalMac, hmac, identityFingerprint, integrityKey, sealingKey } from './keys';
import {
  accessFromJson,
  accessToJson,
  secretsFromJson,
  secretsToJson,
  type AccessRecord,
  type WalletSecrets,
} from './records';

export const WALLET_FILE = 'wallet.dat';
const MAGIC = Buffer.from('TSW1', 'ascii');
const MAC_SIZE = 32;
const AAD_LABEL = Buffer.from('tapsafe/1/handset/wallet\0', 'ascii');

export type SealedState =
  /** Nothing sealed: never activated, or wiped. */
  | { readonly kind: 'none' }
  | { readonly kind: 'open'; readonly secrets: WalletSecrets }
  /** Sealed under another IMEI / IMSI: the binding no longer matches (S3). */
  | { readonly kind: 'identity_mismatch' };

export interface StoredWallet {
  readonly access: AccessRecord;
  readonly sealed: SealedState;
}

export class WalletStore {
  readonly path: string;
  private readonly macKey: Uint8Array;
  /** The sealed bytes last read or written, kept to rewrite them unchanged when locked. */
  private sealedBlob: Uint8Array = new Uint8Array(0);

  constructor(
    stateDir: string,
    private readonly deviceSecret: Uint8Array,
  ) {
    this.path = join(stateDir, WALLET_FILE);
    this.macKey = integrityKey(deviceSecret);
  }

  /** The keyed fingerprint to record in the access part for `identity`. */
  fingerprint(identity: DeviceIdentity): Uint8Array {
    return identityFingerprint(this.macKey, identity);
  }

  /** Reads the wallet file, or undefined when there is none. Throws StorageError. */
  load(identity: DeviceIdentity): StoredWallet | undefined {
    const bytes = readFileIfExists(this.path);
    if (bytes === undefined) return undefined;
    const { accessJson, sealed } = this.unframe(bytes);
    const access = accessFromJson(accessJson);
    this.sealedBlob = sealed;
    if (sealed.length === 0) return { access, sealed: { kind: 'none' } };
    if (access.walletId === undefined) throw new StorageError('corrupt', 'sealed data, no wallet');

    let plaintext: Uint8Array;
    try {
      plaintext = unseal(sealingKey(this.deviceSecret, identity), sealed, aad(access.walletId));
    } catch (error) {
      if (!isProtocolError(error)) throw error;
      // The integrity check passed, so the bytes are ours: either the identity changed
      // (the lock of claims 2-3) or the blob was replaced by someone holding the device key.
      const same = access.identityFingerprint;
      if (same !== undefined && equalMac(same, this.fingerprint(identity))) {
        throw new StorageError('tampered', 'the seal does not open under the right identity');
      }
      return { access, sealed: { kind: 'identity_mismatch' } };
    }
    const secrets = secretsFromJson(Buffer.from(plaintext).toString('utf8'));
    if (!Buffer.from(secrets.walletId).equals(access.walletId)) {
      throw new StorageError('corrupt', 'sealed and unsealed parts name different wallets');
    }
    return { access, sealed: { kind: 'open', secrets } };
  }

  /**
   * Writes the file atomically. `secrets`: new secrets to seal under `identity`; null to
   * erase them (wipe); 'keep' to rewrite the sealed bytes as they are (the wallet cannot
   * open them, e.g. while locked, yet must not lose them before T has passed).
   */
  save(
    access: AccessRecord,
    secrets: WalletSecrets | null | 'keep',
    identity: DeviceIdentity,
  ): void {
    let sealed: Uint8Array;
    if (secrets === 'keep') sealed = this.sealedBlob;
    else if (secrets === null) sealed = new Uint8Array(0);
    else {
      if (!Buffer.from(secrets.walletId).equals(access.walletId ?? new Uint8Array(0))) {
        throw new Error('access and secrets name different wallets');
      }
      const key = sealingKey(this.deviceSecret, identity);
      sealed = seal(key, Buffer.from(secretsToJson(secrets), 'utf8'), aad(secrets.walletId));
    }
    writeFileAtomic(this.path, this.frame(Buffer.from(accessToJson(access), 'utf8'), sealed));
    this.sealedBlob = sealed;
  }

  private frame(access: Uint8Array, sealed: Uint8Array): Uint8Array {
    const body = Buffer.concat([MAGIC, u32(access.length), access, u32(sealed.length), sealed]);
    return Buffer.concat([body, hmac(this.macKey, body)]);
  }

  private unframe(bytes: Uint8Array): { accessJson: string; sealed: Uint8Array } {
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    if (buffer.length < MAGIC.length + 8 + MAC_SIZE) {
      throw new StorageError('corrupt', `${WALLET_FILE} is truncated`);
    }
    const bodyEnd = buffer.length - MAC_SIZE;
    // Check the MAC before reading anything else: no field of an altered file is trusted.
    if (!equalMac(buffer.subarray(bodyEnd), hmac(this.macKey, buffer.subarray(0, bodyEnd)))) {
      throw new StorageError('tampered', `${WALLET_FILE} fails its integrity check`);
    }
    if (!buffer.subarray(0, MAGIC.length).equals(MAGIC)) {
      throw new StorageError('unsupported_version', `${WALLET_FILE} is not a version 1 wallet`);
    }
    let pos = MAGIC.length;
    const take = (): Uint8Array => {
      if (pos + 4 > bodyEnd) throw new StorageError('corrupt', `${WALLET_FILE} framing`);
      const length = buffer.readUInt32BE(pos);
      pos += 4;
      if (pos + length > bodyEnd) throw new StorageError('corrupt', `${WALLET_FILE} framing`);
      const part = new Uint8Array(buffer.subarray(pos, pos + length));
      pos += length;
      return part;
    };
    const accessJson = Buffer.from(take()).toString('utf8');
    const sealed = take();
    if (pos !== bodyEnd) throw new StorageError('corrupt', `${WALLET_FILE} has trailing bytes`);
    return { accessJson, sealed };
  }
}

function u32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value);
  return out;
}

function aad(walletId: Uint8Array): Uint8Array {
  return Buffer.concat([AAD_LABEL, walletId]);
}
