/** The sale against this wallet, before PAY (7.2 step 9): nothing is signed when it fails. */
import type { WalletCertificate } from '../../../protocol';
import type { TerminalParameters } from '../model';
import { decline, type Checked } from './result';

/** `1 ≤ amount ≤` the terminal's and the certificate's `limitPerPayment`. */
export function checkAmountForWallet(
  amount: number,
  certificate: WalletCertificate,
  parameters: TerminalParameters,
): Checked<object> {
  if (amount > parameters.limitPerPayment) {
    return decline(
      'over_payment_limit',
      `amount ${amount} is over this terminal's limit per payment ${parameters.limitPerPayment}`,
    );
  }
  if (amount > certificate.limitPerPayment) {
    return decline(
      'over_payment_limit',
      `amount ${amount} is over the wallet's limit per payment ${certificate.limitPerPayment}`,
    );
  }
  return { ok: true };
}
