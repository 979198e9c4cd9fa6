/**
 * READ LOG's answer: FF10 holding up to 16 signed PaymentRecord envelopes (F0), newest
 * first. A terminal that lost the answer to PAY (torn tap) reads it on the next tap and
 * finds the record that echoes its pending request, instead of charging twice.
 */
import { ProtocolError } from '../errors';
import { decodeElement, list } from '../codec/elements';
import type { Signed } from '../objects/signed';
import { PaymentRecord } from '../objects/wallet';
import { MAX_LOG_RECORDS } from './commands';

export const PAYMENT_LOG_TAG = 0xff10;
export const PaymentLog = list(PAYMENT_LOG_TAG, PaymentRecord.envelope, MAX_LOG_RECORDS);

/**
 * One wallet's records, counters strictly decreasing: "newest first" made checkable, so
 * a terminal never has to wonder which of two records with one counter is the real one.
 */
function checkOrder(records: readonly Signed<PaymentRecord>[]): void {
  for (let i = 1; i < records.length; i++) {
    const newer = (records[i - 1] as Signed<PaymentRecord>).value;
    const older = (records[i] as Signed<PaymentRecord>).value;
    if (!Buffer.from(older.walletId).equals(newer.walletId)) {
      throw new ProtocolError(
        'bad_value',
        `paymentLog[${i}].walletId`,
        'records of another wallet',
      );
    }
    if (older.counter >= newer.counter) {
      throw new ProtocolError(
        'bad_value',
        `paymentLog[${i}].counter`,
        'not newest first (counter must decrease)',
      );
    }
  }
}

export function encodePaymentLog(records: readonly Signed<PaymentRecord>[]): Uint8Array {
  if (!Array.isArray(records)) throw new ProtocolError('bad_value', 'paymentLog', 'must be a list');
  // Write first: it checks the count and that each item is a signed record.
  const bytes = PaymentLog.write(records as Signed<PaymentRecord>[], 'paymentLog');
  checkOrder(records);
  return bytes;
}

/** Decodes a READ LOG answer; `requested` (the NN sent) bounds the count when given. */
export function decodePaymentLog(
  bytes: Uint8Array,
  requested: number = MAX_LOG_RECORDS,
): Signed<PaymentRecord>[] {
  if (!(bytes instanceof Uint8Array))
    throw new ProtocolError('bad_value', 'paymentLog', 'not a byte array');
  const records = decodeElement(PaymentLog, bytes, 'paymentLog');
  if (records.length > requested) {
    throw new ProtocolError(
      'bad_value',
      'paymentLog',
      `${records.length} records, ${requested} requested`,
    );
  }
  checkOrder(records);
  return records;
}
