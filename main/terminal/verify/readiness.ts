/**
 * Before any tap (docs/protocol.md 7.2): a terminal certificate valid by the terminal's
 * clock and a hotlist no older than `hotlistMaxAgeSeconds`; otherwise no payment is taken.
 */
import type { TerminalSetup } from '../model';
import { decline, type Checked } from './result';

export function checkReady(setup: TerminalSetup, now: number): Checked<object> {
  const certificate = setup.identity.certificate.value;
  if (now < certificate.validFrom || now > certificate.validUntil) {
    return decline(
      'terminal_not_ready',
      `the terminal certificate is valid ${certificate.validFrom}..${certificate.validUntil}, ` +
        `not at ${now}: renew it`,
    );
  }
  const issuedAt = setup.hotlist.issuedAt;
  if (issuedAt === undefined) {
    return decline('terminal_not_ready', 'no hotlist yet: sync the terminal');
  }
  const age = now - issuedAt;
  if (age > setup.parameters.hotlistMaxAgeSeconds) {
    return decline(
      'terminal_not_ready',
      `the hotlist is ${age} s old, at most ${setup.parameters.hotlistMaxAgeSeconds} s: sync the terminal`,
    );
  }
  return { ok: true };
}
