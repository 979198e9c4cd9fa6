/**
 * Terminal ↔ platform at the end of a settlement period: the batch the terminal signs and
 * the per-record result the platform signs back.
 */
import { list, struct, type ElementValue, type StructValue } from '../codec/elements';
import { F } from './fields';
import { defineSignedObject } from './signed';
import { PaymentRecord } from './wallet';

/** One batch carries at most this many records or voids; a period may upload several. */
export const MAX_BATCH_RECORDS = 20_000;

const voidEntry = struct(0xff06, {
  walletId: F.walletId,
  counter: F.counter,
  amount: F.amount,
  voidedAt: F.voidedAt,
});
export type VoidEntry = ElementValue<typeof voidEntry>;

const batchFields = {
  batchId: F.batchId,
  merchantId: F.merchantId,
  terminalId: F.terminalId,
  currency: F.currency,
  periodStart: F.periodStart,
  periodEnd: F.periodEnd,
  records: list(0xff04, PaymentRecord.envelope, MAX_BATCH_RECORDS),
  /** Payments of this or an earlier batch that the cashier voided before settlement. */
  voids: list(0xff05, voidEntry, MAX_BATCH_RECORDS),
  /** Number of records, and the sum of their amounts (voids not deducted). */
  recordCount: F.recordCount,
  total: F.total,
  voidTotal: F.voidTotal,
  /** Hash at the head of the terminal's ledger chain when the batch was cut. */
  chainHead: F.chainHead,
};
export type SettlementBatch = StructValue<typeof batchFields>;
/** Signed by the terminal key. The batchId is the idempotency key. */
export const SettlementBatch = defineSignedObject('settlement-batch', struct(0xe7, batchFields));

const resultEntry = struct(0xff08, {
  walletId: F.walletId,
  counter: F.counter,
  status: F.recordStatus,
  reason: F.rejectReason,
});
export type SettlementResultEntry = ElementValue<typeof resultEntry>;

const resultFields = {
  batchId: F.batchId,
  terminalId: F.terminalId,
  issuerKeyId: F.issuerKeyId,
  settledAt: F.settledAt,
  results: list(0xff07, resultEntry, MAX_BATCH_RECORDS * 2),
  totalCredited: F.totalCredited,
};
export type SettlementResult = StructValue<typeof resultFields>;
/** Signed by a platform issuer key: one entry per record and per void of the batch. */
export const SettlementResult = defineSignedObject('settlement-result', struct(0xe8, resultFields));
