/**
 * Builds the committed test vectors (test/vectors/*.json). ECDSA signing here is
 * randomized, so a rebuild keeps a committed signature whenever the body it covers is
 * unchanged and it still verifies: the files only change when the encoding does.
 */
import {
  FreshnessToken,
  Hotlist,
  IssuerKeyAnnouncement,
  Notification,
  PaymentRecord,
  PaymentRequest,
  ProtocolError,
  SettlementBatch,
  SettlementResult,
  TerminalCertificate,
  WalletCertificate,
  bindingDigest,
  keyIdOf,
  type Signed,
  type SignedObjectType,
  type SigningKey,
} from '../../protocol';
import * as sample from './samples';
import { negativeCases } from './negative';
import { apduVectors } from './apdu-vectors';

export interface ObjectVector {
  object: string;
  domain: string;
  signer: keyof typeof sample.keys;
  value: unknown;
  bodyHex: string;
  signatureHex: string;
  envelopeHex: string;
}

export type VectorFiles = Record<string, unknown>;

export const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** JSON form of a decoded value: bytes as hex, nested signed objects as their envelope. */
export function toJson(value: unknown): unknown {
  if (value instanceof Uint8Array) return hex(value);
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === 'object' && value !== null) {
    if ('encoded' in value && value.encoded instanceof Uint8Array) return hex(value.encoded);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]));
  }
  return value;
}

export function buildVectors(previous: ObjectVector[] = []): VectorFiles {
  const objects: ObjectVector[] = [];

  function signStable<T>(
    type: SignedObjectType<T>,
    value: T,
    signer: ObjectVector['signer'],
  ): Signed<T> {
    const key: SigningKey = sample.keys[signer];
    const body = type.encodeBody(value);
    const old = previous.find((v) => v.object === type.name && v.bodyHex === hex(body));
    let signed = type.sign(value, key);
    if (old) {
      try {
        signed = type.open(Buffer.from(old.envelopeHex, 'hex'), key.publicKey);
      } catch (error) {
        if (!(error instanceof ProtocolError)) throw error;
      }
    }
    objects.push({
      object: type.name,
      domain: type.domain,
      signer,
      value: toJson(value),
      bodyHex: hex(signed.body),
      signatureHex: hex(signed.signature),
      envelopeHex: hex(signed.encoded),
    });
    return signed;
  }

  signStable(WalletCertificate, sample.certificate, 'issuer');
  signStable(FreshnessToken, sample.freshness, 'issuer');
  const request = signStable(PaymentRequest, sample.request, 'terminal');
  const record = signStable(PaymentRecord, sample.record, 'wallet');
  const notice = signStable(Notification, sample.notification, 'issuer');
  signStable(Hotlist, sample.hotlist(notice), 'issuer');
  signStable(SettlementBatch, sample.batch(record), 'terminal');
  signStable(SettlementResult, sample.result, 'issuer');
  const terminalCertificate = signStable(TerminalCertificate, sample.terminalCertificate, 'issuer');
  signStable(IssuerKeyAnnouncement, sample.issuerKeyAnnouncement, 'issuer');

  const keys = Object.fromEntries(
    Object.entries(sample.keys).map(([name, key]) => [
      name,
      { publicKey: hex(key.publicKey), keyId: hex(keyIdOf(key.publicKey)) },
    ]),
  );
  const { imei, imsi, salt } = sample.identity;
  return {
    'keys.json': {
      note: 'Private scalars are SHA-256("tapsafe test vector key: " + name), see scripts/spec/samples.ts.',
      keys,
    },
    'objects.json': objects,
    'binding.json': { imei, imsi, salt: hex(salt), digest: hex(bindingDigest(imei, imsi, salt)) },
    'negative.json': negativeCases(objects),
    'apdu.json': apduVectors({
      request: request.encoded,
      notification: notice.encoded,
      terminalCertificate: terminalCertificate.encoded,
    }),
  };
}
