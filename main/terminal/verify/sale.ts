/** The sale against this wallet, before PAY (7.2 step 9): nothing is signed when it fails. */
import type { WalletCertificate } from '../../../protocol';
import { decline, type Checked } from './result';

export function checkAmountForWallet(
  amount: number,
  certificate: WalletCertificate,
): Checked<object> {
  if (amount > certificate.limitPerPayment) {
    return decline(
      'over_payment_limit',
      `amount ${amount} is over the wallet's limit per payment ${certificate.limitPerPayment}`,
    );
  }
  return { ok: true };
}
