/**
 * The device-binding digest a certificate carries: it ties the wallet to one IMEI + IMSI
 * without putting either on the wire. The salt, chosen by the platform at activation,
 * keeps the digest from being matched against a table of known identities.
 */
import { ProtocolError } from '../errors';
import { sha256 } from './ecdsa';

export const BINDING_SALT_SIZE = 16;
const LABEL = Buffer.from('tapsafe/1/device-binding\0', 'ascii');
const IMEI = /^\d{15}$/;
const IMSI = /^\d{6,15}$/;

export function bindingDigest(imei: string, imsi: string, salt: Uint8Array): Uint8Array {
  if (!IMEI.test(imei)) throw new ProtocolError('bad_value', 'imei', 'IMEI must be 15 digits');
  if (!IMSI.test(imsi)) throw new ProtocolError('bad_value', 'imsi', 'IMSI must be 6..15 digits');
  if (salt.length !== BINDING_SALT_SIZE) {
    throw new ProtocolError('bad_value', 'salt', `salt must be ${BINDING_SALT_SIZE} bytes`);
  }
  // Fixed-size parts and a separator between the variable-length IMSI and nothing else
  // make the concatenation unambiguous.
  return sha256(LABEL, salt, Buffer.from(imei, 'ascii'), Buffer.of(0), Buffer.from(imsi, 'ascii'));
}
