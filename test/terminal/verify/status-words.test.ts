/** A wallet's refusal becomes the decline the cashier can act on. */
import { describe, expect, it } from 'vitest';
import { SW } from '../../../protocol';
import { declineForStatus } from '../../../main/terminal/verify';

describe('declineForStatus', () => {
  it.each([
    [SW.insufficient_balance, 'insufficient_balance'],
    [SW.over_payment_limit, 'over_payment_limit'],
    [SW.over_offline_amount, 'over_offline_amount'],
    [SW.over_offline_count, 'over_offline_count'],
    [SW.certificate_expired, 'certificate_expired'],
    [SW.currency_mismatch, 'currency_mismatch'],
    [SW.locked, 'wallet_locked'],
    [SW.temp_locked_network, 'wallet_temp_locked'],
    [SW.disabled, 'wallet_disabled'],
    [SW.wiped, 'wallet_wiped'],
    [SW.terminal_certificate_invalid, 'terminal_certificate_refused'],
    [SW.terminal_certificate_expired, 'terminal_certificate_refused'],
    [SW.terminal_suspended, 'terminal_suspended'],
    [SW.malformed_data, 'card_error'],
    [0x6f00, 'card_error'],
  ])('%s → %s', (sw, code) => {
    const declined = declineForStatus(sw, 'PAY');
    expect(declined).toMatchObject({ ok: false, code });
    expect(declined.detail).toContain(sw.toString(16).toUpperCase());
  });
});
