/** The wallet certificate (7.2 step 5): who signs the records, and for how much. */
import { WalletCertificate, type Signed } from '../../../protocol';
import type { TerminalParameters, TrustKey } from '../model';
import { decodeIssued } from './decode';
import { decline, hex, sameBytes, type Checked } from './result';

/**
 * Decoded, signed by a trust key that verifies now, naming the wallet SELECT named. An
 * expired certificate passes here: it still verifies the wallet's records of a torn tap.
 */
export function checkCertificate(
  bytes: Uint8Array,
  context: { trustKeys: readonly TrustKey[]; now: number; walletId: Uint8Array },
): Checked<{ certificate: Signed<WalletCertificate> }> {
  const decoded = decodeIssued(
    WalletCertificate,
    bytes,
    context,
    'certificate_invalid',
    (signed, issuer, code) =>
      `wallet certificate ${signed.value.serial}: ${code} under issuer key ${hex(issuer.keyId)}`,
  );
  if (!decoded.ok) return decoded;
  const certificate = decoded.value;
  if (!sameBytes(certificate.value.walletId, context.walletId)) {
    return decline(
      'wallet_mismatch',
      `the certificate names wallet ${hex(certificate.value.walletId)}, SELECT named ${hex(context.walletId)}`,
    );
  }
  return { ok: true, certificate };
}

/** For a new payment: valid at the terminal's clock and in the terminal's currency. */
export function checkCertificateForPayment(
  certificate: WalletCertificate,
  context: { now: number; parameters: TerminalParameters },
): Checked<object> {
  const { now, parameters } = context;
  if (now < certificate.validFrom || now > certificate.validUntil) {
    return decline(
      'certificate_expired',
      `wallet certificate ${certificate.serial} is valid ${certificate.validFrom}..${certificate.validUntil}, not at ${now}`,
    );
  }
  if (certificate.currency !== parameters.currency) {
    return decline(
      'currency_mismatch',
      `the wallet holds currency ${certificate.currency}, this terminal charges ${parameters.currency}`,
    );
  }
  return { ok: true };
}
