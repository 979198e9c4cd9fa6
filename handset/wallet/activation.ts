/**
 * The information collection / activation unit (信息搜集开通单元, claims 4, 18; steps A1-A3):
 * checks what the platform returned at activation and turns it into the wallet's first
 * stored state. Nothing is installed unless every part checks: the certificate verifies
 * under a platform key, is bound to this phone's IMEI + IMSI, names the key this wallet
 * holds, and the freshness token belongs to the same wallet.
 */
import {
  bindingDigest,
  BINDING_SALT_SIZE,
  exportScalar,
  FreshnessToken,
  isProtocolError,
  NO_END,
  PUBLIC_KEY_SIZE,
  signingKeyFromScalar,
  WalletCertificate,
  type SigningKey,
} from '../../protocol';
import type { DeviceIdentity } from '../device';
import { ActivationError } from '../errors';
import type { AccessRecord, WalletSecrets } from '../storage/records';
import { openIssuerSigned } from './issuer-keys';
import type { ActivationGrant } from './platform-link';

export interface InstalledActivation {
  readonly access: AccessRecord;
  readonly secrets: WalletSecrets;
}

const equal = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(b);
const isDuration = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) > 0;

function walletKey(grant: ActivationGrant, pending: SigningKey | undefined): SigningKey {
  if (grant.walletPrivateKey === undefined) {
    if (pending === undefined) {
      throw new ActivationError('no_pending_key', 'no key was generated for this activation');
    }
    return pending;
  }
  try {
    return signingKeyFromScalar(grant.walletPrivateKey);
  } catch (error) {
    if (isProtocolError(error)) throw new ActivationError('key_mismatch', error.message);
    throw error;
  }
}

export function checkActivation(
  grant: ActivationGrant,
  identity: DeviceIdentity,
  pendingKey: SigningKey | undefined,
  fingerprint: Uint8Array,
  now: number,
): InstalledActivation {
  const { params } = grant;
  if (!isDuration(params?.T) || !isDuration(params?.T1) || !isDuration(params?.T2)) {
    throw new ActivationError('bad_parameters', 'T, T1 and T2 must be positive whole seconds');
  }
  if (!Number.isSafeInteger(grant.balance) || grant.balance < 0) {
    throw new ActivationError('bad_parameters', 'balance must be a whole, non-negative amount');
  }
  const sequence = grant.notificationSequence ?? 0;
  if (!Number.isSafeInteger(sequence) || sequence < 0) {
    throw new ActivationError('bad_parameters', 'notificationSequence must be whole');
  }
  // Trusted on first use, over the authenticated activation channel; no end date until an
  // announcement sets one.
  const issuerKeys = grant.issuerKeys.map((key) => ({
    publicKey: new Uint8Array(key),
    validUntil: NO_END,
  }));
  if (
    issuerKeys.length === 0 ||
    issuerKeys.some((key) => key.publicKey.length !== PUBLIC_KEY_SIZE)
  ) {
    throw new ActivationError('bad_parameters', 'issuer keys must be compressed P-256 keys');
  }

  const certificate = openIssuerSigned(
    WalletCertificate,
    grant.certificate,
    issuerKeys,
    (c) => c.issuerKeyId,
    now,
  );
  if (certificate === undefined) {
    throw new ActivationError('bad_certificate', 'does not decode or verify under an issuer key');
  }
  const cert = certificate.value;
  if (
    grant.bindingSalt.length !== BINDING_SALT_SIZE ||
    !equal(bindingDigest(identity.imei, identity.imsi, grant.bindingSalt), cert.bindingDigest)
  ) {
    throw new ActivationError('binding_mismatch', 'the certificate is bound to another phone');
  }
  const key = walletKey(grant, pendingKey);
  if (!equal(key.publicKey, cert.walletPublicKey)) {
    throw new ActivationError('key_mismatch', 'the certificate names another wallet key');
  }
  const freshness = openIssuerSigned(
    FreshnessToken,
    grant.freshness,
    issuerKeys,
    (t) => t.issuerKeyId,
    now,
  );
  if (freshness === undefined || !equal(freshness.value.walletId, cert.walletId)) {
    throw new ActivationError('bad_freshness', 'does not verify or names another wallet');
  }

  const walletId = new Uint8Array(cert.walletId);
  return {
    access: {
      walletId,
      state: 'active',
      since: now,
      reason: 'activated',
      params: { T: params.T, T1: params.T1, T2: params.T2 },
      issuerKeys,
      notificationSequence: sequence,
      suspendedTerminals: [],
      identityFingerprint: fingerprint,
      wipedAt: undefined,
    },
    secrets: {
      walletId,
      certificate: certificate.encoded,
      walletPrivateKey: exportScalar(key),
      bindingSalt: new Uint8Array(grant.bindingSalt),
      balance: grant.balance,
      counter: freshness.value.counter,
      offlineCount: 0,
      offlineAmount: 0,
      freshness: freshness.encoded,
      log: [],
      activatedAt: now,
    },
  };
}
