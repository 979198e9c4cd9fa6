/**
 * Routes of the terminal enrollment unit: merchants, enrollment codes (operator), the
 * terminal's enrollment (public, rate-limited) and certificate renewal (the terminal),
 * suspension and resumption (operator; a suspension tells every reachable phone), and a
 * terminal's view of itself (its parameters and the keys to trust, refreshed after a key
 * rotation).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, requireCaller } from '../auth/caller';
import { audit } from '../audit';
import { conflict, notFound } from '../errors';
import { ErrorBody, errorResponses } from '../http/errors';
import { announceNotices } from '../notifications/surface';
import { RenewedCertificate, renewTerminalCertificate } from './certificates';
import { storedText } from '../http/text';
import { newEnrollmentCode, hashCode } from './codes';
import { EnrollBody, Enrolled, enrollTerminal, trustKeysOf, TrustKey } from './enroll';
import { resolveParams, TerminalParams, TerminalParamsOverride } from './params';
import { queueSuspensionNotices } from './suspension';
import './schema';

const Identifier = z.string().regex(/^[A-Za-z0-9._-]{1,32}$/);
const Name = storedText(200);
const MAX_CODE_TTL = 30 * 24 * 3600;
export const DEFAULT_CODE_TTL = 24 * 3600;

const errors = errorResponses(400, 401, 403, 404, 409);

const TerminalView = z.object({
  terminalId: z.string(),
  merchantId: z.string(),
  status: z.enum(['active', 'suspended']),
  enrolledAt: z.number().int(),
  suspendedAt: z.number().int().nullable(),
  parameters: TerminalParams,
  trustKeys: z.array(TrustKey),
});

// eslint-disable-next-line @typescript-eslint/require-await -- Fastify plugins are async by contract
export const terminalRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/merchants',
    {
      config: { auth: 'operator' },
      schema: {
        summary: 'Create a merchant',
        body: z.object({ merchantId: Identifier, name: Name }).strict(),
        response: { 201: z.object({ merchantId: z.string(), name: z.string() }), ...errors },
      },
    },
    async (request, reply) => {
      const caller = requireCaller(request, 'operator');
      const { db, clock } = app.platform;
      const { merchantId, name } = request.body;
      await db.transaction().execute(async (trx) => {
        const inserted = await trx
          .insertInto('merchants')
          .values({ merchant_id: merchantId, name, created_at: clock.now() })
          .onConflict((oc) => oc.column('merchant_id').doNothing())
          .returning('merchant_id')
          .executeTakeFirst();
        if (inserted === undefined)
          throw conflict('merchant_exists', 'that merchant exists', 'merchantId');
        await audit(trx, {
          actor: actorOf(caller),
          action: 'merchant.create',
          subject: `merchant:${merchantId}`,
          outcome: 'ok',
          remoteAddress: request.ip,
          at: clock.now(),
        });
      });
      return reply.code(201).send({ merchantId, name });
    },
  );

  app.post(
    '/enrollment-codes',
    {
      config: { auth: 'operator' },
      schema: {
        summary: 'Create a single-use terminal enrollment code (shown once)',
        body: z
          .object({
            merchantId: Identifier,
            terminalId: Identifier,
            /** Creates the merchant when it does not exist yet (name defaults to the id). */
            merchantName: Name.optional(),
            ttlSeconds: z.number().int().min(60).max(MAX_CODE_TTL).default(DEFAULT_CODE_TTL),
            parameters: TerminalParamsOverride.optional(),
          })
          .strict(),
        response: {
          201: z.object({
            code: z.string(),
            merchantId: z.string(),
            terminalId: z.string(),
            expiresAt: z.number().int(),
            parameters: TerminalParams,
          }),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const caller = requireCaller(request, 'operator');
      const { db, clock } = app.platform;
      const { merchantId, terminalId, merchantName, ttlSeconds } = request.body;
      const parameters = resolveParams(app.platform.walletPolicy, request.body.parameters);
      const now = clock.now();
      const code = newEnrollmentCode();
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('merchants')
          .values({ merchant_id: merchantId, name: merchantName ?? merchantId, created_at: now })
          .onConflict((oc) => oc.column('merchant_id').doNothing())
          .execute();
        const existing = await trx
          .selectFrom('terminals')
          .select('terminal_id')
          .where('terminal_id', '=', terminalId)
          .executeTakeFirst();
        if (existing !== undefined)
          throw conflict('terminal_exists', 'that terminal is already enrolled', 'terminalId');
        await trx
          .insertInto('enrollment_codes')
          .values({
            code_hash: hashCode(code),
            merchant_id: merchantId,
            terminal_id: terminalId,
            params: JSON.stringify(parameters),
            created_by: caller.tokenId,
            created_at: now,
            expires_at: now + ttlSeconds,
            used_at: null,
          })
          .execute();
        await audit(trx, {
          actor: actorOf(caller),
          action: 'enrollment_code.create',
          subject: `terminal:${terminalId}`,
          outcome: 'ok',
          remoteAddress: request.ip,
          detail: { merchantId, expiresAt: now + ttlSeconds },
          at: now,
        });
      });
      return reply
        .code(201)
        .send({ code, merchantId, terminalId, expiresAt: now + ttlSeconds, parameters });
    },
  );

  app.post(
    '/terminals/enroll',
    {
      config: { auth: 'public' },
      schema: {
        summary: 'Enroll a terminal with its code and public key',
        body: EnrollBody,
        response: { 201: Enrolled, 400: ErrorBody, 409: ErrorBody, 410: ErrorBody, 429: ErrorBody },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await enrollTerminal(app.platform, request, request.body)),
  );

  app.get(
    '/terminals/:terminalId',
    {
      config: { auth: ['operator', 'terminal'], terminalStatuses: ['active', 'suspended'] },
      schema: {
        summary: 'A terminal: status, parameters and the issuer keys to trust',
        params: z.object({ terminalId: Identifier }),
        response: { 200: TerminalView, ...errors },
      },
    },
    async (request) => {
      const row = await app.platform.db
        .selectFrom('terminals')
        .selectAll()
        .where('terminal_id', '=', request.params.terminalId)
        .executeTakeFirst();
      if (row === undefined) throw notFound('unknown_terminal', 'no such terminal', 'terminalId');
      return {
        terminalId: row.terminal_id,
        merchantId: row.merchant_id,
        status: row.status,
        enrolledAt: row.enrolled_at,
        suspendedAt: row.suspended_at,
        parameters: resolveParams(app.platform.walletPolicy, row.params),
        trustKeys: await trustKeysOf(app.platform),
      };
    },
  );

  app.post(
    '/terminals/:terminalId/certificate',
    {
      config: { auth: 'terminal' },
      schema: {
        summary:
          'Renew the terminal certificate: a new serial, valid from now (not while suspended)',
        params: z.object({ terminalId: Identifier }),
        body: z.object({}).strict().optional(),
        response: { 201: RenewedCertificate, ...errors },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await renewTerminalCertificate(app.platform, request, request.params.terminalId)),
  );

  for (const action of ['suspend', 'resume'] as const) {
    app.post(
      `/terminals/:terminalId/${action}`,
      {
        config: { auth: 'operator' },
        schema: {
          summary:
            action === 'suspend'
              ? 'Suspend a terminal: phones are told (suspend_terminal) to refuse its certificates'
              : 'Resume a suspended terminal (it renews its certificate: a new serial)',
          params: z.object({ terminalId: Identifier }),
          body: z
            .object({ note: storedText(500, 0).optional() })
            .strict()
            .optional(),
          response: {
            200: z.object({ terminalId: z.string(), status: z.enum(['active', 'suspended']) }),
            ...errors,
          },
        },
      },
      async (request) => {
        const caller = requireCaller(request, 'operator');
        const { db, clock } = app.platform;
        const { terminalId } = request.params;
        const now = clock.now();
        const [from, to] =
          action === 'suspend'
            ? (['active', 'suspended'] as const)
            : (['suspended', 'active'] as const);
        const outcome = await db.transaction().execute(async (trx) => {
          const row = await trx
            .selectFrom('terminals')
            .select('status')
            .where('terminal_id', '=', terminalId)
            .forUpdate()
            .executeTakeFirst();
          if (row === undefined)
            throw notFound('unknown_terminal', 'no such terminal', 'terminalId');
          if (row.status !== from)
            throw conflict(
              `terminal_already_${row.status}`,
              `the terminal is ${row.status}`,
              'terminalId',
            );
          await trx
            .updateTable('terminals')
            .set({ status: to, suspended_at: to === 'suspended' ? now : null })
            .where('terminal_id', '=', terminalId)
            .execute();
          // Phones learn of it in the same transaction: the notice exists iff the suspension does.
          const notices =
            action === 'suspend'
              ? await queueSuspensionNotices(trx, app.platform, terminalId)
              : { serials: [], walletIds: [] };
          await audit(trx, {
            actor: actorOf(caller),
            action: `terminal.${action}`,
            subject: `terminal:${terminalId}`,
            outcome: 'ok',
            remoteAddress: request.ip,
            detail: {
              note: request.body?.note ?? null,
              ...(action === 'suspend'
                ? { certificates: notices.serials, walletsNotified: notices.walletIds.length }
                : {}),
            },
            at: now,
          });
          return { notified: notices.walletIds };
        });
        // One poke per wallet (a spread of every reachable wallet would overflow the stack).
        for (const walletIdHex of outcome.notified) announceNotices(app.platform, walletIdHex);
        return { terminalId, status: to };
      },
    );
  }
};
