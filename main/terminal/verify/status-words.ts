/**
 * A wallet's refusal (its status word) → the decline the cashier sees. PAY's business
 * refusals decline with their reason; 9F11/9F12 mean this terminal's certificate (or the
 * phone's clock) is wrong, 9F13 that it is suspended; 9F14–9F16 and 6A80 are faults of
 * this terminal (wrong key, certificate or nonce reuse) — docs/protocol.md 7.2.
 */
import { statusName, type StatusName } from '../../../protocol';
import type { DeclineCode } from '../../../preload/contract/declines';
import { decline, type Decline } from './result';

const BY_NAME: Partial<Record<StatusName, DeclineCode>> = {
  not_activated: 'wallet_not_activated',
  locked: 'wallet_locked',
  temp_locked_power: 'wallet_temp_locked',
  temp_locked_network: 'wallet_temp_locked',
  disabled: 'wallet_disabled',
  wiped: 'wallet_wiped',
  insufficient_balance: 'insufficient_balance',
  over_payment_limit: 'over_payment_limit',
  over_offline_amount: 'over_offline_amount',
  over_offline_count: 'over_offline_count',
  certificate_expired: 'certificate_expired',
  currency_mismatch: 'currency_mismatch',
  terminal_certificate_invalid: 'terminal_certificate_refused',
  terminal_certificate_expired: 'terminal_certificate_refused',
  terminal_suspended: 'terminal_suspended',
  request_signature_invalid: 'terminal_certificate_refused',
  request_terminal_mismatch: 'terminal_certificate_refused',
};

/** The decline for a command the wallet did not answer with 9000. */
export function declineForStatus(sw: number, command: string): Decline {
  const name = statusName(sw);
  const word = sw.toString(16).toUpperCase().padStart(4, '0');
  const code = (name && BY_NAME[name]) ?? 'card_error';
  return decline(code, `${command} answered ${word}${name ? ` (${name})` : ''}`);
}
