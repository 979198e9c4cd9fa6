/**
 * Deterministic sample values of every signed object, with realistic contents: amounts in
 * minor units, ISO 4217 numeric currencies, Unix-second times, "M-0001" style ids.
 * Batches stay small (three records) so byte-by-byte sweeps over them stay fast.
 */
import {
  bindingDigest,
  FreshnessToken,
  Hotlist,
  IssuerKeyAnnouncement,
  Notification,
  PaymentRecord,
  PaymentRequest,
  SettlementBatch,
  SettlementResult,
  TerminalCertificate,
  WalletCertificate,
  type SignedObjectType,
  type SigningKey,
} from '../../../protocol';
import { hex } from './bytes';
import { issuerKeyId, keys } from './keys';

const EUR = 978;
const CNY = 156;
/** 2026-01-01T00:00:00Z and friends. */
const JAN_1 = 1_767_225_600;
const DAY = 86_400;

export const walletId = hex('57a1e7000000000000000000000000a1');
export const otherWalletId = hex('57a1e7000000000000000000000000b2');

export const certificate: WalletCertificate = {
  serial: 1_000_001,
  walletId,
  walletPublicKey: Uint8Array.from(keys.wallet.publicKey),
  bindingDigest: Uint8Array.from(
    bindingDigest('490154203237518', '310150123456789', hex('5a17000102030405060708090a0b0c0d')),
  ),
  issuerKeyId,
  validFrom: JAN_1,
  validUntil: JAN_1 + 365 * DAY,
  currency: EUR,
  limitPerPayment: 5_000,
  limitOfflineAmount: 20_000,
  limitOfflineCount: 10,
};

export const freshness: FreshnessToken = {
  walletId,
  issuerKeyId,
  syncTime: JAN_1 + DAY,
  balance: 12_345,
  counter: 41,
};

export const request: PaymentRequest = {
  amount: 1_250,
  currency: EUR,
  merchantId: 'M-0001',
  terminalId: 'T-0001-02',
  terminalTime: JAN_1 + DAY + 3_600,
  nonce: hex('00112233445566778899aabbccddeeff'),
};

/** A second request in yuan, with the extreme values each field allows. */
export const requestCny: PaymentRequest = {
  amount: Number.MAX_SAFE_INTEGER,
  currency: CNY,
  merchantId: 'M_shop.9-ABCDEFGHIJKLMNOPQRSTUVW',
  terminalId: 'T',
  terminalTime: 0,
  nonce: new Uint8Array(16),
};

export function recordFor(
  req: PaymentRequest,
  counter: number,
  balanceAfter: number,
): PaymentRecord {
  return {
    walletId,
    counter,
    ...req,
    balanceAfter,
    offlineCount: counter - 40,
    offlineAmount: 12_345 - balanceAfter,
  };
}

export const record: PaymentRecord = recordFor(request, 42, 11_095);

export const notification: Notification = {
  notificationType: 'lock',
  walletId,
  sequence: 7,
  issuerKeyId,
  issuedAt: JAN_1 + 2 * DAY,
  amount: 0,
  balance: 11_095,
  serial: 0,
};

export const topUp: Notification = {
  ...notification,
  notificationType: 'top_up',
  sequence: 8,
  amount: 10_000,
  balance: 21_095,
};

/** A suspend_terminal notice names the terminal certificate by its serial. */
export const suspendTerminal: Notification = {
  ...notification,
  notificationType: 'suspend_terminal',
  sequence: 9,
  serial: 77,
};

export const terminalCertificate: TerminalCertificate = {
  serial: 77,
  merchantId: 'M-0001',
  terminalId: 'T-0001-02',
  terminalPublicKey: Uint8Array.from(keys.terminal.publicKey),
  issuerKeyId,
  validFrom: JAN_1 - 300,
  validUntil: JAN_1 + 30 * DAY,
};

export const issuerKey: IssuerKeyAnnouncement = {
  issuerKeyId,
  announcedKey: Uint8Array.from(keys.wallet.publicKey),
  issuedAt: JAN_1 + DAY,
  validUntil: 0xffff_ffff,
};

export const hotlist: Hotlist = {
  hotlistVersion: 1_042,
  kind: 'delta',
  baseVersion: 1_041,
  issuerKeyId,
  issuedAt: JAN_1 + 2 * DAY,
  entries: [
    { walletId: otherWalletId, reason: 'stolen', revokedAt: JAN_1 + DAY },
    { walletId, reason: 'double_spend', revokedAt: JAN_1 + 2 * DAY - 60 },
  ],
  notices: [Notification.sign(notification, keys.issuer)],
};

export const emptyHotlist: Hotlist = {
  ...hotlist,
  kind: 'full',
  baseVersion: 0,
  entries: [],
  notices: [],
};

const batchRecords = [
  recordFor(request, 42, 11_095),
  recordFor({ ...request, amount: 300, terminalTime: request.terminalTime + 60 }, 43, 10_795),
  recordFor({ ...request, amount: 4_999, terminalTime: request.terminalTime + 120 }, 44, 5_796),
];

export const batch: SettlementBatch = {
  batchId: hex('ba7c0000000000000000000000000001'),
  merchantId: 'M-0001',
  terminalId: 'T-0001-02',
  currency: EUR,
  periodStart: JAN_1 + DAY,
  periodEnd: JAN_1 + 2 * DAY,
  records: batchRecords.map((r) => PaymentRecord.sign(r, keys.wallet)),
  voids: [{ walletId, counter: 43, amount: 300, voidedAt: request.terminalTime + 90 }],
  recordCount: batchRecords.length,
  total: batchRecords.reduce((sum, r) => sum + r.amount, 0),
  voidTotal: 300,
  chainHead: hex('c0ffee00'.repeat(8)),
};

export const result: SettlementResult = {
  batchId: batch.batchId,
  terminalId: 'T-0001-02',
  issuerKeyId,
  settledAt: JAN_1 + 2 * DAY + 600,
  results: [
    { walletId, counter: 42, status: 'accepted', reason: 'none' },
    { walletId, counter: 43, status: 'duplicate', reason: 'none' },
    { walletId, counter: 44, status: 'rejected', reason: 'revoked' },
    { walletId: otherWalletId, counter: 1, status: 'double_spend', reason: 'none' },
  ],
  totalCredited: 1_250,
};

/** One sample of one object type, with the key that signs it. */
export interface ObjectCase<T = unknown> {
  readonly label: string;
  readonly type: SignedObjectType<T>;
  readonly value: T;
  readonly signer: SigningKey;
}

const sample = <T>(
  label: string,
  type: SignedObjectType<T>,
  value: T,
  signer: SigningKey,
): ObjectCase => ({ label, type, value, signer });

/** Every object type at least once; the first case of each type is its main sample. */
export const samples: readonly ObjectCase[] = [
  sample('wallet certificate', WalletCertificate, certificate, keys.issuer),
  sample('freshness token', FreshnessToken, freshness, keys.issuer),
  sample('payment request', PaymentRequest, request, keys.terminal),
  sample('payment request (CNY, extremes)', PaymentRequest, requestCny, keys.terminal),
  sample('payment record', PaymentRecord, record, keys.wallet),
  sample('notification', Notification, notification, keys.issuer),
  sample('notification (top-up)', Notification, topUp, keys.issuer),
  sample('notification (suspend terminal)', Notification, suspendTerminal, keys.issuer),
  sample('hotlist', Hotlist, hotlist, keys.issuer),
  sample('hotlist (empty full)', Hotlist, emptyHotlist, keys.issuer),
  sample('settlement batch', SettlementBatch, batch, keys.terminal),
  sample('settlement result', SettlementResult, result, keys.issuer),
  sample('terminal certificate', TerminalCertificate, terminalCertificate, keys.issuer),
  sample('issuer key announcement', IssuerKeyAnnouncement, issuerKey, keys.issuer),
];

/** The main sample of each type only. */
export const mainSamples: readonly ObjectCase[] = samples.filter(
  (c, i) => samples.findIndex((other) => other.type === c.type) === i,
);
