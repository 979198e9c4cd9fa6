/**
 * The operator's own routes: who am I, the platform status (as the CLI's `status`), and
 * operator tokens — created (by an operator, or once by the bootstrap token a first start
 * prints) and revoked, so the CLI manages them while the server holds the database.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, requireCaller } from '../auth/caller';
import {
  consumeBootstrapToken,
  createOperatorToken,
  revokeOperatorToken,
} from '../auth/operator-tokens';
import { audit } from '../audit';
import { notFound, unauthenticated } from '../errors';
import { ErrorBody, errorResponses } from '../http/errors';
import { storedText } from '../http/text';
import { platformStatus, PlatformStatus } from '../status';

const errors = errorResponses(401, 403);
const TokenId = z.string().regex(/^[0-9a-f]{16}$/, 'the 16-hex token id');

// eslint-disable-next-line @typescript-eslint/require-await -- Fastify plugins are async by contract
export const operatorRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/operator/whoami',
    {
      config: { auth: 'operator' },
      schema: {
        summary: 'The operator token in use',
        response: { 200: z.object({ tokenId: z.string(), label: z.string() }), ...errors },
      },
    },
    (request) => {
      const { tokenId, label } = requireCaller(request, 'operator');
      return { tokenId, label };
    },
  );

  app.get(
    '/operator/status',
    {
      config: { auth: 'operator' },
      schema: {
        summary: 'Database, schema version, issuer keys, counts',
        response: { 200: PlatformStatus, ...errors },
      },
    },
    () => platformStatus(app.platform.db, app.platform.keys),
  );

  app.post(
    '/operator/tokens',
    {
      config: { auth: 'operator', bootstrapToken: true },
      schema: {
        summary:
          'Create an operator token (shown only in this answer); the bootstrap token may call this once',
        body: z.object({ label: storedText(100) }),
        response: {
          201: z.object({ tokenId: TokenId, label: z.string(), token: z.string() }),
          400: ErrorBody,
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const caller = requireCaller(request, 'operator');
      const { label } = request.body;
      const { db, clock } = app.platform;
      const at = clock.now();
      const created = await db.transaction().execute(async (trx) => {
        if (caller.scope === 'bootstrap' && !(await consumeBootstrapToken(trx, caller.tokenId, at)))
          throw unauthenticated('token_invalid', 'operator token not accepted');
        const made = await createOperatorToken(trx, { label, at });
        await audit(trx, {
          actor: actorOf(caller),
          action: 'operator_token.create',
          subject: `operator_token:${made.tokenId}`,
          outcome: 'ok',
          detail: { label, bootstrap: caller.scope === 'bootstrap' },
          at,
        });
        return made;
      });
      return reply.code(201).send({ tokenId: created.tokenId, label, token: created.token });
    },
  );

  app.post(
    '/operator/tokens/:tokenId/revoke',
    {
      config: { auth: 'operator' },
      schema: {
        summary: 'Revoke an operator token',
        params: z.object({ tokenId: TokenId }),
        response: {
          200: z.object({ tokenId: TokenId, revokedAt: z.number().int() }),
          400: ErrorBody,
          404: ErrorBody,
          ...errors,
        },
      },
    },
    async (request) => {
      const caller = requireCaller(request, 'operator');
      const { tokenId } = request.params;
      const { db, clock } = app.platform;
      const at = clock.now();
      return db.transaction().execute(async (trx) => {
        if (!(await revokeOperatorToken(trx, tokenId, at)))
          throw notFound(
            'operator_token_not_found',
            `no live operator token ${tokenId}`,
            'tokenId',
          );
        await audit(trx, {
          actor: actorOf(caller),
          action: 'operator_token.revoke',
          subject: `operator_token:${tokenId}`,
          outcome: 'ok',
          at,
        });
        return { tokenId, revokedAt: at };
      });
    },
  );
};
