/** How a tap's outcome is shown: the decline with its wording, the approved payment. */
import type { PaymentRow } from '../../../db/rows';
import { DECLINE_REASONS, type DeclineCode } from '../../../preload/contract/declines';
import type { PaymentRecord, Signed } from '../../../protocol';
import { hex } from '../verify';
import type { ApprovedPayment, CheckoutDecline } from './events';

export function declineOf(code: DeclineCode, detail: string): CheckoutDecline {
  return { code, detail, ...DECLINE_REASONS[code] };
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function approvedPayment(
  row: PaymentRow,
  record: Signed<PaymentRecord>,
  completedTornTap: boolean,
): ApprovedPayment {
  const v = record.value;
  return {
    walletId: hex(v.walletId),
    counter: v.counter,
    amount: v.amount,
    currency: v.currency,
    terminalTime: v.terminalTime,
    nonce: hex(v.nonce),
    balanceAfter: v.balanceAfter,
    offlineCount: v.offlineCount,
    offlineAmount: v.offlineAmount,
    chainSeq: row.chainSeq,
    completedTornTap,
  };
}
