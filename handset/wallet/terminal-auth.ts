/**
 * Who may ask this wallet to pay: a terminal whose key the platform certified. The wallet
 * checks the terminal certificate presented in the session with the issuer keys it holds,
 * then every request against the certified key and identity, so a stranger's reader in a
 * crowd gets nothing signed (nor, before PAY, any of the wallet's data).
 */
import {
  PaymentRequest,
  SW,
  isProtocolError,
  TerminalCertificate,
  type Signed,
} from '../../protocol';
import { MAX_SUSPENDED_TERMINALS, type AccessRecord } from '../storage/records';
import { verifyIssuerSigned } from './issuer-keys';

export interface TerminalRefusal {
  readonly ok: false;
  readonly sw: number;
  readonly reason: string;
}

const refuse = (sw: number, reason: string): TerminalRefusal => ({ ok: false, sw, reason });

/** PRESENT TERMINAL CERTIFICATE's checks, in their documented order (9F11, 9F12, 9F13). */
export function checkTerminalCertificate(
  access: AccessRecord,
  signed: Signed<TerminalCertificate>,
  now: number,
): TerminalRefusal | undefined {
  const cert = signed.value;
  const signedByPlatform = verifyIssuerSigned(
    TerminalCertificate,
    signed,
    access.issuerKeys,
    (c) => c.issuerKeyId,
    now,
  );
  if (!signedByPlatform) {
    return refuse(SW.terminal_certificate_invalid, 'not signed by a platform issuer key');
  }
  if (now < cert.validFrom || now > cert.validUntil) {
    return refuse(SW.terminal_certificate_expired, `valid ${cert.validFrom}..${cert.validUntil}`);
  }
  if (access.suspendedTerminals.includes(cert.serial)) {
    return refuse(SW.terminal_suspended, `certificate ${cert.serial} suspended by the platform`);
  }
  return undefined;
}

/** PAY's checks of the request against the session's certificate (9F10, 9F14, 9F15). */
export function checkRequestOrigin(
  terminal: Signed<TerminalCertificate> | undefined,
  request: Signed<PaymentRequest>,
): TerminalRefusal | undefined {
  if (terminal === undefined) {
    return refuse(SW.terminal_not_authenticated, 'no terminal certificate in this session');
  }
  const cert = terminal.value;
  try {
    PaymentRequest.verify(request, cert.terminalPublicKey);
  } catch (error) {
    if (!isProtocolError(error)) throw error;
    return refuse(SW.request_signature_invalid, 'not signed by the certified terminal key');
  }
  if (
    request.value.merchantId !== cert.merchantId ||
    request.value.terminalId !== cert.terminalId
  ) {
    return refuse(
      SW.request_terminal_mismatch,
      `request ${request.value.merchantId}/${request.value.terminalId}, certificate ${cert.merchantId}/${cert.terminalId}`,
    );
  }
  return undefined;
}

/** The suspended list with `serial` added, newest last, bounded. */
export function withSuspended(suspended: readonly number[], serial: number): number[] {
  if (suspended.includes(serial)) return [...suspended];
  return [...suspended, serial].slice(-MAX_SUSPENDED_TERMINALS);
}
