/**
 * The keys of the phone's secure storage.
 *
 * - The sealing key comes from HKDF over the device secret, the IMEI and the IMSI. A SIM
 *   or handset swap changes the key, so the wallet's secrets simply do not decrypt: the
 *   binding of claims 2-3 holds by cryptography, not by a comparison code could skip.
 * - The integrity key comes from the device secret alone, so the unsealed part of the
 *   wallet file (lock state, lock time, wipe marker) stays checkable after a swap: a
 *   locked phone must still know, and be unable to forget, that it is locked.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { deriveKey } from '../../protocol';
import type { DeviceIdentity } from '../device';

const SEAL_SALT = Buffer.from('tapsafe/1/handset/seal-key', 'ascii');
const MAC_SALT = Buffer.from('tapsafe/1/handset/integrity-key', 'ascii');
const INFO = Buffer.from('wallet.dat v1', 'ascii');

/** IMEI and IMSI are digits only, so a 0x00 between them keeps the encoding unambiguous. */
function identityBytes(identity: DeviceIdentity): Uint8Array {
  return Buffer.concat([
    Buffer.from(identity.imei, 'ascii'),
    Buffer.of(0),
    Buffer.from(identity.imsi, 'ascii'),
  ]);
}

export function sealingKey(deviceSecret: Uint8Array, identity: DeviceIdentity): Uint8Array {
  return deriveKey(Buffer.concat([deviceSecret, identityBytes(identity)]), SEAL_SALT, INFO);
}

export function integrityKey(deviceSecret: Uint8Array): Uint8Array {
  return deriveKey(deviceSecret, MAC_SALT, INFO);
}

export function hmac(key: Uint8Array, ...parts: Uint8Array[]): Uint8Array {
  const mac = createHmac('sha256', key);
  for (const part of parts) mac.update(part);
  return new Uint8Array(mac.digest());
}

export function equalMac(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * A keyed fingerprint of the identity the wallet was sealed under. When the seal does not
 * open, it tells "another SIM or handset" (lock, S3) from "the file was altered" (tamper).
 */
export function identityFingerprint(key: Uint8Array, identity: DeviceIdentity): Uint8Array {
  return hmac(key, Buffer.from('identity\0', 'ascii'), identityBytes(identity));
}
