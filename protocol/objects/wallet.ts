/**
 * What the platform signs for a wallet and what the wallet signs for a terminal: the
 * certificate, the freshness token, and the payment request / record pair.
 */
import { struct, type StructValue } from '../codec/elements';
import { F } from './fields';
import { defineSignedObject } from './signed';

const certificateFields = {
  serial: F.serial,
  walletId: F.walletId,
  walletPublicKey: F.walletPublicKey,
  bindingDigest: F.bindingDigest,
  issuerKeyId: F.issuerKeyId,
  validFrom: F.validFrom,
  validUntil: F.validUntil,
  currency: F.currency,
  limitPerPayment: F.limitPerPayment,
  limitOfflineAmount: F.limitOfflineAmount,
  limitOfflineCount: F.limitOfflineCount,
};
export type WalletCertificate = StructValue<typeof certificateFields>;
/**
 * Platform → wallet at activation; read by terminals. Signed by a platform issuer key. It
 * names no account: the wallet id is a pseudonym that only the platform links to a person.
 */
export const WalletCertificate = defineSignedObject(
  'wallet-certificate',
  struct(0xe1, certificateFields),
);

const freshnessFields = {
  walletId: F.walletId,
  issuerKeyId: F.issuerKeyId,
  syncTime: F.syncTime,
  balance: F.balance,
  counter: F.counter,
};
export type FreshnessToken = StructValue<typeof freshnessFields>;
/** Platform → wallet at every online sync; terminals refuse tokens older than T2. */
export const FreshnessToken = defineSignedObject('freshness-token', struct(0xe2, freshnessFields));

const requestFields = {
  amount: F.amount,
  currency: F.currency,
  merchantId: F.merchantId,
  terminalId: F.terminalId,
  terminalTime: F.terminalTime,
  nonce: F.nonce,
};
export type PaymentRequest = StructValue<typeof requestFields>;
/**
 * Terminal → wallet in PAY. Signed by the terminal key that the terminal certificate
 * presented in the same session certifies: the wallet signs nothing for anyone else.
 */
export const PaymentRequest = defineSignedObject('payment-request', struct(0xe3, requestFields));

const recordFields = {
  walletId: F.walletId,
  counter: F.counter,
  ...requestFields,
  balanceAfter: F.balanceAfter,
  offlineCount: F.offlineCount,
  offlineAmount: F.offlineAmount,
};
export type PaymentRecord = StructValue<typeof recordFields>;
/** Wallet → terminal: the request echoed, with the wallet's counter and balances. */
export const PaymentRecord = defineSignedObject('payment-record', struct(0xe4, recordFields));

const terminalCertificateFields = {
  serial: F.serial,
  merchantId: F.merchantId,
  terminalId: F.terminalId,
  terminalPublicKey: F.terminalPublicKey,
  issuerKeyId: F.issuerKeyId,
  validFrom: F.validFrom,
  validUntil: F.validUntil,
};
export type TerminalCertificate = StructValue<typeof terminalCertificateFields>;
/**
 * Platform → terminal at enrollment (and at each renewal); terminal → wallet before PAY.
 * Signed by a platform issuer key: the wallet's trust anchor for the terminal's key.
 */
export const TerminalCertificate = defineSignedObject(
  'terminal-certificate',
  struct(0xe9, terminalCertificateFields),
);
