/**
 * The history screen's service: payments of this terminal, filtered and paged, the details of
 * one, and the cashier's void before settlement (S13). A void is a chain entry of its own
 * (db/ledger-store.ts), uploaded with the next batch; a settled payment cannot be voided.
 */
import { PaymentRecord } from '../../../protocol';
import type {
  PaymentDetail,
  PaymentsPage,
  PaymentView,
  ParsedParams,
} from '../../../preload/contract';
import {
  checksOf,
  listPayments,
  paymentById,
  paymentOutcome,
  voidOfPayment,
} from '../../../db/history';
import type { LedgerStore } from '../../../db/ledger-store';
import type { PaymentRow } from '../../../db/rows';
import { TerminalError } from '../errors';
import type { Publish } from '../events';
import type { TerminalClock } from '../model';

export interface HistoryDeps {
  readonly ledger: () => LedgerStore;
  readonly clock: TerminalClock;
  readonly publish: Publish;
}

const hex = (bytes: Uint8Array | null): string | null =>
  bytes === null ? null : Buffer.from(bytes).toString('hex');

export function paymentView(row: PaymentRow): PaymentView {
  return {
    paymentId: row.id,
    walletId: Buffer.from(row.walletId).toString('hex'),
    counter: row.counter,
    amount: row.amount,
    currency: row.currency,
    terminalTime: row.terminalTime,
    status: row.status,
    balanceAfter: PaymentRecord.decode(row.record).value.balanceAfter,
    offline: true,
  };
}

export function createHistoryService(deps: HistoryDeps) {
  const find = (paymentId: number): PaymentRow => {
    const row = paymentById(deps.ledger().db, paymentId);
    if (row === undefined) {
      throw new TerminalError('payment_not_found', `no payment ${paymentId} in this terminal`);
    }
    return row;
  };
  return {
    list(query: ParsedParams<'payments.list'>): PaymentsPage {
      const { rows, total } = listPayments(deps.ledger().db, {
        ...query,
        walletId: query.walletId === undefined ? undefined : Buffer.from(query.walletId, 'hex'),
      });
      return { payments: rows.map(paymentView), total };
    },

    get(paymentId: number): PaymentDetail {
      const row = find(paymentId);
      const voided = voidOfPayment(deps.ledger().db, row.id);
      return {
        ...paymentView(row),
        merchantId: row.merchantId,
        terminalId: row.terminalId,
        nonce: Buffer.from(row.nonce).toString('hex'),
        batchId: hex(row.batchId),
        voidedAt: voided?.voidedAt ?? null,
        settlement: paymentOutcome(deps.ledger().db, row.id) ?? null,
        steps: checksOf(deps.ledger().db, row.id),
      };
    },

    /** Voids an unsettled payment; the ledger refuses a settled or already voided one. */
    voidPayment(paymentId: number): PaymentView {
      const row = find(paymentId);
      const ledger = deps.ledger();
      ledger.voidPayment(row.walletId, row.counter, deps.clock.now());
      const view = paymentView(find(paymentId));
      deps.publish('payments.changed', view);
      return view;
    },
  };
}

export type HistoryService = ReturnType<typeof createHistoryService>;
