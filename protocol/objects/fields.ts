/**
 * The field registry: one tag per meaning, shared by every object, so `walletId` is DF03
 * wherever it appears. Primitive fields are private-class DFxx, constructed ones FFxx.
 */
import { enumeration, fixedBytes, identifier, uint } from '../codec/values';
import { primitive } from '../codec/elements';
import { KEY_ID_SIZE, PUBLIC_KEY_SIZE, SIGNATURE_SIZE } from '../crypto/ecdsa';
import { WALLET_STATES } from './wallet-states';

export const WALLET_ID_SIZE = 16;
export const NONCE_SIZE = 16;
export const DIGEST_SIZE = 32;
export const BATCH_ID_SIZE = 16;
/** ISO 4217 numeric codes run from 001 to 999. */
export const MAX_CURRENCY = 999;

export const REVOCATION_REASONS = ['lost', 'stolen', 'double_spend', 'migrated', 'closed'] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];

export const NOTIFICATION_TYPES = [
  'lock',
  'disable',
  'wipe',
  'unlock',
  'balance_update',
  'top_up',
  'migrate_out',
  'suspend_terminal',
] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

export const RECORD_STATUSES = ['accepted', 'duplicate', 'rejected', 'double_spend'] as const;
export type RecordStatus = (typeof RECORD_STATUSES)[number];

export const REJECT_REASONS = [
  'none',
  'unknown_wallet',
  'bad_signature',
  'certificate_expired',
  'revoked',
  'limit_exceeded',
  'wrong_terminal',
  'currency_mismatch',
  // Voids (appended: never renumber): the void names no payment this terminal was paid
  // for, not its amount, or a time before the payment.
  'void_unknown_record',
  'void_amount_mismatch',
  'void_before_payment',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

const time = uint();
const amount = uint();

export const F = {
  protocolVersion: primitive(0xdf01, uint(255)),
  serial: primitive(0xdf02, uint()),
  walletId: primitive(0xdf03, fixedBytes(WALLET_ID_SIZE)),
  // DF04 was accountId: removed so that no terminal learns the customer's account (a
  // wallet id is all a merchant needs). Retired; never to be reused.
  walletPublicKey: primitive(0xdf05, fixedBytes(PUBLIC_KEY_SIZE)),
  bindingDigest: primitive(0xdf06, fixedBytes(DIGEST_SIZE)),
  issuerKeyId: primitive(0xdf07, fixedBytes(KEY_ID_SIZE)),
  validFrom: primitive(0xdf08, time),
  validUntil: primitive(0xdf09, time),
  limitPerPayment: primitive(0xdf0a, amount),
  limitOfflineAmount: primitive(0xdf0b, amount),
  limitOfflineCount: primitive(0xdf0c, uint(65_535)),
  syncTime: primitive(0xdf0d, time),
  balance: primitive(0xdf0e, amount),
  counter: primitive(0xdf0f, uint()),
  amount: primitive(0xdf10, amount),
  currency: primitive(0xdf11, uint(MAX_CURRENCY)),
  merchantId: primitive(0xdf12, identifier(32)),
  terminalId: primitive(0xdf13, identifier(32)),
  terminalTime: primitive(0xdf14, time),
  nonce: primitive(0xdf15, fixedBytes(NONCE_SIZE)),
  balanceAfter: primitive(0xdf16, amount),
  offlineCount: primitive(0xdf17, uint(65_535)),
  offlineAmount: primitive(0xdf18, amount),
  hotlistVersion: primitive(0xdf19, uint()),
  issuedAt: primitive(0xdf1a, time),
  hotlistKind: primitive(0xdf1b, enumeration(['full', 'delta'] as const)),
  baseVersion: primitive(0xdf1c, uint()),
  revocationReason: primitive(0xdf1d, enumeration(REVOCATION_REASONS)),
  revokedAt: primitive(0xdf1e, time),
  notificationType: primitive(0xdf1f, enumeration(NOTIFICATION_TYPES)),
  sequence: primitive(0xdf20, uint()),
  batchId: primitive(0xdf22, fixedBytes(BATCH_ID_SIZE)),
  periodStart: primitive(0xdf23, time),
  periodEnd: primitive(0xdf24, time),
  recordCount: primitive(0xdf25, uint()),
  total: primitive(0xdf26, amount),
  chainHead: primitive(0xdf27, fixedBytes(DIGEST_SIZE)),
  voidedAt: primitive(0xdf28, time),
  recordStatus: primitive(0xdf29, enumeration(RECORD_STATUSES)),
  rejectReason: primitive(0xdf2a, enumeration(REJECT_REASONS)),
  totalCredited: primitive(0xdf2b, amount),
  settledAt: primitive(0xdf2c, time),
  voidTotal: primitive(0xdf2d, amount),
  walletState: primitive(0xdf2e, enumeration(WALLET_STATES)),
  terminalPublicKey: primitive(0xdf30, fixedBytes(PUBLIC_KEY_SIZE)),
  announcedKey: primitive(0xdf31, fixedBytes(PUBLIC_KEY_SIZE)),
  signature: primitive(0xdf7f, fixedBytes(SIGNATURE_SIZE)),
} as const;
