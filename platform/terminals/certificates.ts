/**
 * Terminal certificates: what a terminal presents to the phone before PAY, so that the
 * wallet signs only for a terminal the platform vouches for. Issued at enrollment and by
 * the terminal's own renewal (a new serial each time); every one is stored, so suspending
 * the terminal can name each certificate still valid (suspension.ts).
 */
import type { FastifyRequest } from 'fastify';
import { sql, type Transaction } from 'kysely';
import { z } from 'zod';
import { TerminalCertificate } from '../../protocol';
import type { PlatformContext } from '../context';
import { audit } from '../audit';
import { actorOf } from '../auth/caller';
import type { PlatformDatabase } from '../db/schema';
import { forbidden, notFound } from '../errors';
import './schema';

/** validFrom lies this far before the issue time: a phone whose clock runs behind accepts it. */
export const CERTIFICATE_CLOCK_ALLOWANCE_SECONDS = 300;
const DAY = 86_400;

export interface IssuedTerminalCertificate {
  readonly serial: number;
  /** The signed TerminalCertificate envelope. */
  readonly encoded: Uint8Array;
  readonly validFrom: number;
  readonly validUntil: number;
}

export interface CertifiedTerminal {
  readonly terminalId: string;
  readonly merchantId: string;
  readonly publicKey: Uint8Array;
}

/**
 * Signs a certificate for `terminal` with the active issuer key and records it, inside the
 * caller's transaction (the key ring answers from memory, so signing here is safe).
 */
export async function issueTerminalCertificate(
  trx: Transaction<PlatformDatabase>,
  { keys, clock, terminalCertificateDays }: PlatformContext,
  terminal: CertifiedTerminal,
): Promise<IssuedTerminalCertificate> {
  const now = clock.now();
  const { rows } = await sql<{ serial: number | string }>`
    select nextval('terminal_certificate_serials') as serial`.execute(trx);
  const serial = Number(rows[0]?.serial);
  const issuer = await keys.activeIssuer();
  const validFrom = Math.max(0, now - CERTIFICATE_CLOCK_ALLOWANCE_SECONDS);
  const validUntil = now + terminalCertificateDays * DAY;
  const signed = TerminalCertificate.sign(
    {
      serial,
      merchantId: terminal.merchantId,
      terminalId: terminal.terminalId,
      terminalPublicKey: terminal.publicKey,
      issuerKeyId: issuer.keyId,
      validFrom,
      validUntil,
    },
    issuer.signingKey,
  );
  await trx
    .insertInto('terminal_certificates')
    .values({
      serial,
      terminal_id: terminal.terminalId,
      public_key: terminal.publicKey,
      issuer_key_id: issuer.keyId,
      valid_from: validFrom,
      valid_until: validUntil,
      issued_at: now,
      suspended_at: null,
    })
    .execute();
  return { serial, encoded: signed.encoded, validFrom, validUntil };
}

export const RenewedCertificate = z.object({
  terminalId: z.string(),
  certificate: z.string().describe('signed TerminalCertificate envelope, hex (a new serial)'),
  serial: z.number().int(),
  validFrom: z.number().int(),
  validUntil: z.number().int(),
});

/**
 * The terminal's renewal: a fresh certificate for its key. Refused with 403
 * terminal_suspended while suspended — checked again under the terminal's row lock, so a
 * renewal racing a suspension cannot slip a certificate past the notices.
 */
export async function renewTerminalCertificate(
  ctx: PlatformContext,
  request: FastifyRequest,
  terminalId: string,
): Promise<z.infer<typeof RenewedCertificate>> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('terminals')
      .select(['merchant_id', 'public_key', 'status'])
      .where('terminal_id', '=', terminalId)
      .forShare()
      .executeTakeFirst();
    if (row === undefined) throw notFound('unknown_terminal', 'no such terminal', 'terminalId');
    if (row.status !== 'active')
      throw forbidden(`terminal_${row.status}`, `this terminal is ${row.status}`);
    const issued = await issueTerminalCertificate(trx, ctx, {
      terminalId,
      merchantId: row.merchant_id,
      publicKey: row.public_key,
    });
    await audit(trx, {
      actor: actorOf(request.caller),
      action: 'terminal.certificate',
      subject: `terminal:${terminalId}`,
      outcome: 'ok',
      remoteAddress: request.ip,
      detail: { serial: issued.serial, validUntil: issued.validUntil },
      at: ctx.clock.now(),
    });
    return {
      terminalId,
      certificate: Buffer.from(issued.encoded).toString('hex'),
      serial: issued.serial,
      validFrom: issued.validFrom,
      validUntil: issued.validUntil,
    };
  });
}
