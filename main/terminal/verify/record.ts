/**
 * The payment record (7.2 step 10). A record that verifies under the wallet's key but
 * fails a later check is still the wallet's signature: it is kept (`evidence`), either as
 * proof of a clone (counter replayed, above the certificate's limits: the wallet itself
 * never signs those) or, when only this terminal's own caps are exceeded, stored with a
 * void so settlement refunds the wallet.
 */
import {
  isProtocolError,
  PaymentRecord,
  type PaymentRequest,
  type Signed,
  type WalletCertificate,
} from '../../../protocol';
import type { TerminalParameters } from '../model';
import { decodeAnswer } from './decode';
import { decline, hex, sameBytes, type Decline } from './result';

export type EvidenceKind = 'clone' | 'void';

export interface RecordDecline extends Decline {
  /** Set when the signature verified: how the record must be kept. */
  readonly evidence?: { readonly kind: EvidenceKind; readonly record: Signed<PaymentRecord> };
}

export type RecordCheck =
  | { readonly ok: true; readonly record: Signed<PaymentRecord>; readonly alreadyStored: boolean }
  | RecordDecline;

export interface RecordContext {
  readonly request: PaymentRequest;
  readonly certificate: WalletCertificate;
  readonly parameters: TerminalParameters;
  /** The freshness token's counter; undefined when resolving a torn tap (no token read). */
  readonly tokenCounter: number | undefined;
  /** The highest counter this terminal has stored for the wallet. */
  readonly highestSeen: number | undefined;
  /** True when this very record (counter and body) is already in the ledger. */
  readonly alreadyStored: (record: Signed<PaymentRecord>) => boolean;
}

const ECHOED = ['amount', 'currency', 'merchantId', 'terminalId', 'terminalTime'] as const;

function echoMismatches(record: PaymentRecord, request: PaymentRequest): string[] {
  const wrong: string[] = ECHOED.filter((field) => record[field] !== request[field]);
  if (!sameBytes(record.nonce, request.nonce)) wrong.push('nonce');
  return wrong;
}

export function checkRecord(bytes: Uint8Array, context: RecordContext): RecordCheck {
  const decoded = decodeAnswer(PaymentRecord, bytes);
  if (!decoded.ok) return decoded;
  const record = decoded.value;
  const { certificate, parameters } = context;
  try {
    PaymentRecord.verify(record, certificate.walletPublicKey);
  } catch (error) {
    if (!isProtocolError(error)) throw error;
    return decline('record_invalid', `payment record: ${error.code} under the wallet's key`);
  }
  const v = record.value;
  if (!sameBytes(v.walletId, certificate.walletId)) {
    return decline(
      'wallet_mismatch',
      `the record names wallet ${hex(v.walletId)}, the certificate ${hex(certificate.walletId)}`,
    );
  }
  const wrong = echoMismatches(v, context.request);
  if (wrong.length > 0) {
    return decline('echo_mismatch', `the record differs from the request in ${wrong.join(', ')}`);
  }
  if (context.alreadyStored(record)) return { ok: true, record, alreadyStored: true };

  const kept = (kind: EvidenceKind, failed: Decline): RecordDecline => ({
    ...failed,
    evidence: { kind, record },
  });
  if (context.tokenCounter !== undefined && v.counter <= context.tokenCounter) {
    return kept(
      'clone',
      decline(
        'replayed_counter',
        `counter ${v.counter} is not above the freshness token's ${context.tokenCounter}`,
      ),
    );
  }
  if (context.highestSeen !== undefined && v.counter <= context.highestSeen) {
    return kept(
      'clone',
      decline(
        'replayed_counter',
        `counter ${v.counter} is not above ${context.highestSeen}, the highest seen here`,
      ),
    );
  }
  const overCertificate = limitDecline(v, certificate, 'the certificate');
  if (overCertificate) return kept('clone', overCertificate);
  if (v.currency !== certificate.currency) {
    return kept(
      'clone',
      decline(
        'currency_mismatch',
        `record currency ${v.currency}, certificate ${certificate.currency}`,
      ),
    );
  }
  const overTerminal = limitDecline(v, parameters, "this terminal's");
  if (overTerminal) return kept('void', overTerminal);
  return { ok: true, record, alreadyStored: false };
}

interface Limits {
  readonly limitPerPayment: number;
  readonly limitOfflineAmount: number;
  readonly limitOfflineCount: number;
}

function limitDecline(v: PaymentRecord, limits: Limits, whose: string): Decline | undefined {
  if (v.amount > limits.limitPerPayment) {
    return decline(
      'over_payment_limit',
      `amount ${v.amount} is over ${whose} limit per payment ${limits.limitPerPayment}`,
    );
  }
  if (v.offlineCount > limits.limitOfflineCount) {
    return decline(
      'over_offline_count',
      `${v.offlineCount} offline payments, over ${whose} limit ${limits.limitOfflineCount}`,
    );
  }
  if (v.offlineAmount > limits.limitOfflineAmount) {
    return decline(
      'over_offline_amount',
      `${v.offlineAmount} paid offline, over ${whose} limit ${limits.limitOfflineAmount}`,
    );
  }
  return undefined;
}
