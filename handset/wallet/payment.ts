/**
 * The offline payment unit (离线支付单元, claims 5-6, 19-20): the e-cash access unit's
 * balance and offline totals, and the payment unit that turns a terminal's request into a
 * signed record. Called only after access control has authorized the wallet; this file
 * checks the money: certificate validity, currency, the certificate's offline limits and
 * the balance. It computes the next stored state but writes nothing: the wallet makes that
 * state durable before the record leaves the phone.
 */
import {
  PaymentRecord,
  SW,
  type PaymentRequest,
  type Signed,
  type SigningKey,
  type WalletCertificate,
} from '../../protocol';
import type { WalletSecrets } from '../storage/records';

/**
 * Records kept for READ LOG and the demo panel; READ LOG serves up to 16 of them. The log is
 * also the wallet's memory of the nonces it signed for: a nonce is remembered as long as
 * its record is kept.
 */
export const LOG_CAPACITY = 32;

export interface PaymentRefusal {
  readonly ok: false;
  readonly sw: number;
  readonly reason: string;
}

export interface PaymentApproval {
  readonly ok: true;
  readonly record: Signed<PaymentRecord>;
  /** The secrets after this payment: to be stored before the record is answered. */
  readonly next: WalletSecrets;
}

const refuse = (sw: number, reason: string): PaymentRefusal => ({ ok: false, sw, reason });

/** The money checks, in the order their status words are documented (9F0D, 9F0E, …). */
export function checkPayment(
  secrets: WalletSecrets,
  cert: WalletCertificate,
  request: PaymentRequest,
  now: number,
): PaymentRefusal | undefined {
  if (now < cert.validFrom || now > cert.validUntil) {
    return refuse(SW.certificate_expired, 'the wallet certificate is not valid now');
  }
  if (request.currency !== cert.currency) {
    return refuse(SW.currency_mismatch, `currency ${request.currency}, wallet ${cert.currency}`);
  }
  // A zero payment would burn a counter value for nothing and is never a real sale.
  if (request.amount === 0) return refuse(SW.zero_amount, 'amount is zero');
  if (request.amount > cert.limitPerPayment) {
    return refuse(SW.over_payment_limit, `amount over ${cert.limitPerPayment}`);
  }
  if (secrets.offlineCount + 1 > cert.limitOfflineCount) {
    return refuse(SW.over_offline_count, `${cert.limitOfflineCount} payments since sync`);
  }
  if (secrets.offlineAmount + request.amount > cert.limitOfflineAmount) {
    return refuse(SW.over_offline_amount, `${cert.limitOfflineAmount} since sync`);
  }
  if (request.amount > secrets.balance) {
    return refuse(SW.insufficient_balance, `balance ${secrets.balance}`);
  }
  return undefined;
}

/** Checks, then signs the record echoing the request field for field, with the next counter. */
export function authorizePayment(
  secrets: WalletSecrets,
  cert: WalletCertificate,
  key: SigningKey,
  request: PaymentRequest,
  now: number,
): PaymentRefusal | PaymentApproval {
  const refusal = checkPayment(secrets, cert, request, now);
  if (refusal) return refusal;

  const counter = secrets.counter + 1;
  const balanceAfter = secrets.balance - request.amount;
  const offlineCount = secrets.offlineCount + 1;
  const offlineAmount = secrets.offlineAmount + request.amount;
  const record = PaymentRecord.sign(
    {
      walletId: secrets.walletId,
      counter,
      amount: request.amount,
      currency: request.currency,
      merchantId: request.merchantId,
      terminalId: request.terminalId,
      terminalTime: request.terminalTime,
      nonce: request.nonce,
      balanceAfter,
      offlineCount,
      offlineAmount,
    },
    key,
  );
  const next: WalletSecrets = {
    ...secrets,
    balance: balanceAfter,
    counter,
    offlineCount,
    offlineAmount,
    log: [record.encoded, ...secrets.log].slice(0, LOG_CAPACITY),
  };
  return { ok: true, record, next };
}

/** The newest `count` records of the log, newest first, decoded. */
export function latestRecords(secrets: WalletSecrets, count: number): Signed<PaymentRecord>[] {
  return secrets.log.slice(0, count).map((encoded) => PaymentRecord.decode(encoded));
}

/** READ LOG: the newest `count` records signed for this merchant's terminal, newest first. */
export function terminalRecords(
  secrets: WalletSecrets,
  terminal: { readonly merchantId: string; readonly terminalId: string },
  count: number,
): Signed<PaymentRecord>[] {
  return latestRecords(secrets, LOG_CAPACITY)
    .filter(
      (r) =>
        r.value.merchantId === terminal.merchantId && r.value.terminalId === terminal.terminalId,
    )
    .slice(0, count);
}

/**
 * The record already signed for this request's nonce: the same request again gets it back
 * byte for byte (a retried or torn tap is never a second debit); the nonce with any other
 * request field is a refusal. Requests are compared by their fields, never by signature
 * bytes, which differ each time a terminal signs the same request.
 */
export function signedForNonce(
  secrets: WalletSecrets,
  request: PaymentRequest,
): { readonly record: Signed<PaymentRecord> } | PaymentRefusal | undefined {
  const nonce = Buffer.from(request.nonce);
  // Only records whose bytes hold the nonce are decoded: PAY stays cheap with a full log.
  const record = secrets.log
    .filter((encoded) =>
      Buffer.from(encoded.buffer, encoded.byteOffset, encoded.length).includes(nonce),
    )
    .map((encoded) => PaymentRecord.decode(encoded))
    .find((r) => nonce.equals(r.value.nonce));
  if (record === undefined) return undefined;
  const r = record.value;
  const same =
    r.amount === request.amount &&
    r.currency === request.currency &&
    r.merchantId === request.merchantId &&
    r.terminalId === request.terminalId &&
    r.terminalTime === request.terminalTime;
  return same
    ? { record }
    : refuse(SW.nonce_reused, `nonce already signed for, counter ${r.counter}`);
}

/**
 * The offline totals after a sync whose token counted payments up to `syncedCounter`:
 * the payments after it, if the log still holds them all; otherwise the current totals
 * (never lower than the truth, so a limit is never exceeded by losing track).
 */
export function offlineTotalsAfterSync(
  secrets: WalletSecrets,
  syncedCounter: number,
): { offlineCount: number; offlineAmount: number } {
  const unsynced = secrets.counter - syncedCounter;
  if (unsynced <= 0) return { offlineCount: 0, offlineAmount: 0 };
  const records = latestRecords(secrets, unsynced).filter((r) => r.value.counter > syncedCounter);
  if (records.length !== unsynced) {
    return { offlineCount: secrets.offlineCount, offlineAmount: secrets.offlineAmount };
  }
  return {
    offlineCount: records.length,
    offlineAmount: records.reduce((sum, r) => sum + r.value.amount, 0),
  };
}
