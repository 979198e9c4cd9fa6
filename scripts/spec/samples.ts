/**
 * The fixed keys and sample objects behind test/vectors/. Keys come from fixed scalars so
 * anyone can rebuild every body byte for byte from this file and docs/protocol.md.
 */
import {
  bindingDigest,
  keyIdOf,
  sha256,
  signingKeyFromScalar,
  type FreshnessToken,
  type Hotlist,
  type Notification,
  type PaymentRecord,
  type PaymentRequest,
  type SettlementBatch,
  type SettlementResult,
  type IssuerKeyAnnouncement,
  type SigningKey,
  type TerminalCertificate,
  type WalletCertificate,
} from '../../protocol';

const scalarFor = (label: string): Uint8Array =>
  sha256(Buffer.from(`tapsafe test vector key: ${label}`));
const bytesFor = (label: string, size: number): Uint8Array =>
  sha256(Buffer.from(`tapsafe test vector bytes: ${label}`)).subarray(0, size);

export const keys = {
  issuer: signingKeyFromScalar(scalarFor('platform issuer')),
  nextIssuer: signingKeyFromScalar(scalarFor('platform issuer 2')),
  wallet: signingKeyFromScalar(scalarFor('wallet')),
  terminal: signingKeyFromScalar(scalarFor('terminal')),
} satisfies Record<string, SigningKey>;

export const identity = {
  imei: '356938035643809',
  imsi: '460001234567890',
  salt: bytesFor('binding salt', 16),
};

const issuerKeyId = keyIdOf(keys.issuer.publicKey);
const walletId = bytesFor('wallet id', 16);
const T0 = 1_796_083_200; // 2026-12-01T00:00:00Z

export const certificate: WalletCertificate = {
  serial: 1001,
  walletId,
  walletPublicKey: keys.wallet.publicKey,
  bindingDigest: bindingDigest(identity.imei, identity.imsi, identity.salt),
  issuerKeyId,
  validFrom: T0,
  validUntil: T0 + 365 * 86_400,
  currency: 156,
  limitPerPayment: 50_000,
  limitOfflineAmount: 200_000,
  limitOfflineCount: 20,
};

export const freshness: FreshnessToken = {
  walletId,
  issuerKeyId,
  syncTime: T0 + 3_600,
  balance: 123_456,
  counter: 7,
};

export const request: PaymentRequest = {
  amount: 2_599,
  currency: 156,
  merchantId: 'M-0001',
  terminalId: 'T-0001-A',
  terminalTime: T0 + 7_200,
  nonce: bytesFor('request nonce', 16),
};

export const record: PaymentRecord = {
  walletId,
  counter: 8,
  ...request,
  balanceAfter: 123_456 - 2_599,
  offlineCount: 1,
  offlineAmount: 2_599,
};

export const notification: Notification = {
  notificationType: 'lock',
  walletId,
  sequence: 3,
  issuerKeyId,
  issuedAt: T0 + 9_000,
  amount: 0,
  balance: 120_857,
  serial: 0,
};

export function hotlist(signedNotice: Hotlist['notices'][number]): Hotlist {
  return {
    hotlistVersion: 12,
    kind: 'delta',
    baseVersion: 11,
    issuerKeyId,
    issuedAt: T0 + 9_000,
    entries: [{ walletId, reason: 'lost', revokedAt: T0 + 8_900 }],
    notices: [signedNotice],
  };
}

export function batch(signedRecord: SettlementBatch['records'][number]): SettlementBatch {
  return {
    batchId: bytesFor('batch id', 16),
    merchantId: request.merchantId,
    terminalId: request.terminalId,
    currency: 156,
    periodStart: T0,
    periodEnd: T0 + 86_400,
    records: [signedRecord],
    voids: [{ walletId, counter: 8, amount: 2_599, voidedAt: T0 + 7_300 }],
    recordCount: 1,
    total: 2_599,
    voidTotal: 2_599,
    chainHead: bytesFor('ledger chain head', 32),
  };
}

export const result: SettlementResult = {
  batchId: bytesFor('batch id', 16),
  terminalId: request.terminalId,
  issuerKeyId,
  settledAt: T0 + 90_000,
  results: [{ walletId, counter: 8, status: 'accepted', reason: 'none' }],
  totalCredited: 0,
};

export const terminalCertificate: TerminalCertificate = {
  serial: 501,
  merchantId: request.merchantId,
  terminalId: request.terminalId,
  terminalPublicKey: keys.terminal.publicKey,
  issuerKeyId,
  validFrom: T0 - 300,
  validUntil: T0 + 30 * 86_400,
};

/** The current issuer key announces the next one, which has no end date yet. */
export const issuerKeyAnnouncement: IssuerKeyAnnouncement = {
  issuerKeyId,
  announcedKey: keys.nextIssuer.publicKey,
  issuedAt: T0 + 10_000,
  validUntil: 0xffff_ffff,
};
