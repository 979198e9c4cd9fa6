/**
 * The words for each step of a tap, shared by the checkout's state views and the checks
 * stored with an approved payment (the history screen shows the same lines as the cashier).
 */
import type { StoredCheck } from '../../../db/history';
import type { TapStep } from './events';

const STEP_LABELS: Readonly<Record<TapStep['step'], string>> = {
  ready: 'terminal ready (certificate, hotlist)',
  select: 'Tapsafe wallet selected',
  hotlist: 'not on the hotlist',
  wallet_state: 'wallet state',
  present_certificate: 'terminal certificate accepted by the wallet',
  certificate: 'wallet certificate (issuer key, signature)',
  torn_tap: 'earlier unanswered request resolved',
  certificate_for_payment: 'certificate valid now, currency, per-payment limit',
  freshness: 'freshness token (age within T2)',
  velocity: "this terminal's velocity limits",
  pay: 'payment signed by the wallet',
  record: 'payment record (signature, echo, counter, limits)',
  commit: 'stored in the ledger',
};

export function checkOf(step: TapStep): StoredCheck {
  return { check: STEP_LABELS[step.step], ok: step.ok, detail: step.detail ?? null };
}
