/**
 * The terminal's side of enrollment: code + its public key → merchant, terminal id, its
 * first terminal certificate, the issuer keys to trust and its parameters. Public (the terminal has no credentials yet), so
 * failed code checks are limited per address: 100-bit codes cannot be guessed, but a
 * source that keeps failing is refused early and audited.
 */
import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import { importPublicKey } from '../../protocol';
import type { PlatformContext } from '../context';
import { audit } from '../audit';
import { badRequest, conflict, PlatformError } from '../errors';
import { AttemptLimiter } from '../security/attempt-limiter';
import { issueTerminalCertificate } from './certificates';
import { hashCode } from './codes';
import { TerminalParams } from './params';
import './schema';

export const enrollmentLimiter = new AttemptLimiter({
  name: 'enrollment',
  maxFailures: 10,
  windowSeconds: 15 * 60,
});

export const EnrollBody = z
  .object({
    code: z.string().min(8).max(64),
    publicKey: z.string().regex(/^[0-9a-fA-F]{66}$/, '33 bytes (compressed SEC1), hex'),
  })
  .strict();

export const TrustKey = z.object({
  keyId: z.string(),
  publicKey: z.string(),
  retiredAt: z.number().int().nullable(),
});

export const Enrolled = z.object({
  merchantId: z.string(),
  terminalId: z.string(),
  enrolledAt: z.number().int(),
  certificate: z
    .string()
    .describe(
      'signed TerminalCertificate envelope, hex: presented to phones before PAY; renew it ' +
        'with POST /v1/terminals/{terminalId}/certificate before its validUntil',
    ),
  trustKeys: z.array(TrustKey),
  parameters: TerminalParams,
});

export async function trustKeysOf(ctx: PlatformContext): Promise<z.infer<typeof TrustKey>[]> {
  return (await ctx.keys.verifyingKeys()).map((k) => ({
    keyId: k.keyIdHex,
    publicKey: Buffer.from(k.publicKey).toString('hex'),
    retiredAt: k.retiredAt,
  }));
}

const refusal = {
  unknown: () =>
    new PlatformError(400, 'enrollment_code_invalid', 'no such enrollment code', 'code'),
  expired: () =>
    new PlatformError(410, 'enrollment_code_expired', 'the enrollment code has expired', 'code'),
  used: () => conflict('enrollment_code_used', 'the enrollment code has already been used', 'code'),
};

export async function enrollTerminal(
  ctx: PlatformContext,
  request: FastifyRequest,
  body: z.infer<typeof EnrollBody>,
): Promise<z.infer<typeof Enrolled>> {
  const { db, clock } = ctx;
  const now = clock.now();
  const scopes = { address: request.ip };
  await enrollmentLimiter.assertAllowed(db, now, scopes);
  const publicKey = Buffer.from(body.publicKey, 'hex');
  try {
    importPublicKey(publicKey);
  } catch {
    throw badRequest('bad_public_key', 'not a P-256 compressed public key', 'publicKey');
  }
  const codeHash = hashCode(body.code);
  const outcome = await db.transaction().execute(async (trx) => {
    // Claiming the code and creating the terminal commit together: a refusal below rolls
    // the claim back, and two terminals racing with one code cannot both claim it.
    const claimed = await trx
      .updateTable('enrollment_codes')
      .set({ used_at: now })
      .where('code_hash', '=', codeHash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .returning(['merchant_id', 'terminal_id', 'params'])
      .executeTakeFirst();
    if (claimed === undefined) {
      const row = await trx
        .selectFrom('enrollment_codes')
        .select(['used_at'])
        .where('code_hash', '=', codeHash)
        .executeTakeFirst();
      const failure: keyof typeof refusal =
        row === undefined ? 'unknown' : row.used_at === null ? 'expired' : 'used';
      return { ok: false, failure } as const;
    }
    const taken = await trx
      .selectFrom('terminals')
      .select(['terminal_id', 'public_key'])
      .where((eb) =>
        eb.or([eb('terminal_id', '=', claimed.terminal_id), eb('public_key', '=', publicKey)]),
      )
      .executeTakeFirst();
    if (taken !== undefined) {
      throw taken.terminal_id === claimed.terminal_id
        ? conflict('terminal_exists', 'that terminal is already enrolled', 'code')
        : conflict('public_key_in_use', 'another terminal uses this key', 'publicKey');
    }
    const parameters = TerminalParams.parse(claimed.params);
    await trx
      .insertInto('terminals')
      .values({
        terminal_id: claimed.terminal_id,
        merchant_id: claimed.merchant_id,
        public_key: publicKey,
        status: 'active',
        params: JSON.stringify(parameters),
        enrolled_at: now,
        suspended_at: null,
      })
      .execute();
    const certificate = await issueTerminalCertificate(trx, ctx, {
      terminalId: claimed.terminal_id,
      merchantId: claimed.merchant_id,
      publicKey,
    });
    await audit(trx, {
      actor: { kind: 'anonymous' },
      action: 'terminal.enroll',
      subject: `terminal:${claimed.terminal_id}`,
      outcome: 'ok',
      remoteAddress: request.ip,
      detail: { merchantId: claimed.merchant_id, certificateSerial: certificate.serial },
      at: now,
    });
    return {
      ok: true,
      merchantId: claimed.merchant_id,
      terminalId: claimed.terminal_id,
      parameters,
      certificate: Buffer.from(certificate.encoded).toString('hex'),
    } as const;
  });
  if (!outcome.ok) {
    await enrollmentLimiter.recordFailure(db, now, scopes);
    await audit(db, {
      actor: { kind: 'anonymous' },
      action: 'terminal.enroll',
      outcome: 'denied',
      remoteAddress: request.ip,
      detail: { refusal: outcome.failure },
      at: now,
    });
    throw refusal[outcome.failure]();
  }
  const { merchantId, terminalId, parameters, certificate } = outcome;
  const trustKeys = await trustKeysOf(ctx);
  return { merchantId, terminalId, parameters, enrolledAt: now, certificate, trustKeys };
}
