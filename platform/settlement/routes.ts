/**
 * Settlement routes: terminals upload signed batches (octet-stream in, signed result out);
 * operators read the settlement status.
 */
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireCaller } from '../auth/caller';
import { PlatformError } from '../errors';
import { ErrorBody } from '../http/errors';
import { announceNotices } from '../notifications/surface';
import { settleBatch } from './settle';
import { SettlementStatus, settlementStatus } from './status';
import { VerifyPool } from './verify-pool';

/** 20,000 records of ~200 bytes plus voids fit well within this. */
export const BATCH_BODY_LIMIT = 16 * 1024 * 1024;
export const RESULT_HEADERS = { replayed: 'x-tapsafe-replayed' } as const;

// eslint-disable-next-line @typescript-eslint/require-await -- Fastify plugins are async by contract
export const settlementRoutes: FastifyPluginAsyncZod = async (app) => {
  // One pool per platform, started on the first upload (a platform that never settles,
  // e.g. a test of another unit, spawns no threads) and stopped with the app.
  let pool: VerifyPool | undefined;
  app.addHook('onClose', async () => {
    await pool?.close();
  });

  app.post(
    '/settlement/batches',
    {
      bodyLimit: BATCH_BODY_LIMIT,
      config: {
        auth: 'terminal',
        binary: {
          body: 'the signed SettlementBatch envelope',
          response: { 200: 'the signed SettlementResult envelope' },
        },
      },
      schema: {
        summary:
          'Upload a signed SettlementBatch (application/octet-stream); answers the signed ' +
          'SettlementResult (application/octet-stream). The batch id is the idempotency key: ' +
          'the same batch again returns the stored result, other content under the same id is 409. ' +
          'Refused whole (400): batch_bad_signature, batch_inconsistent (counts or totals), ' +
          'batch_bad_period (ends before it starts), batch_outside_period (a record or void dated ' +
          'outside [periodStart, periodEnd]), batch_currency_mismatch (not the terminal currency). ' +
          'Refused whole (409 chain_broken): chainHead is not the head of its records then voids ' +
          'continued from the chainHead of this terminal’s last accepted batch (32 zero bytes before ' +
          'the first); the head does not move, the refusal is in the audit log and in ' +
          'GET /v1/settlement/status (docs/protocol.md section 3, chainHead). ' +
          'Per record: accepted, duplicate, double_spend or rejected with a reason; a record made ' +
          'more than hotlistMaxAgeSeconds after its wallet was revoked is rejected `revoked` ' +
          '(docs/protocol.md section 3, liability). Per void: accepted, duplicate, or rejected ' +
          'void_unknown_record, void_amount_mismatch, void_before_payment. totalCredited = ' +
          'credited records − voids of records of this batch; voids of earlier batches are debited ' +
          'from the merchant besides.',
        response: {
          400: ErrorBody,
          401: ErrorBody,
          403: ErrorBody,
          409: ErrorBody,
          413: ErrorBody,
          415: ErrorBody,
          422: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const terminal = requireCaller(request, 'terminal');
      if (!Buffer.isBuffer(request.body))
        throw new PlatformError(
          415,
          'unsupported_media_type',
          'send the batch envelope as application/octet-stream',
        );
      pool ??= new VerifyPool(app.platform.verifyThreads);
      const { platform } = app;
      const outcome = await settleBatch(
        {
          db: platform.db,
          keys: platform.keys,
          clock: platform.clock,
          pool,
          certificates: platform.certificates,
        },
        terminal.terminalId,
        request.body,
      );
      // After the commit, never before: a socket must not announce a notice that rolls back.
      announceNotices(platform, ...outcome.notified);
      // Binary out: the typed reply only knows the JSON error bodies.
      return (reply as FastifyReply)
        .header(RESULT_HEADERS.replayed, String(outcome.replayed))
        .type('application/octet-stream')
        .send(Buffer.from(outcome.result));
    },
  );

  app.get(
    '/settlement/status',
    {
      config: { auth: 'operator' },
      schema: {
        summary:
          'Per terminal: batches, records uploaded, totalCredited (the sum of its results’ ' +
          'totalCredited), voidsDebited (voids of earlier batches’ records), net (what moved to ' +
          'the merchant), chain (the head its next batch must continue; broken and the last ' +
          'batch refused chain_broken); recent flagged double-spends',
        querystring: z.object({ terminalId: z.string().min(1).max(32).optional() }),
        response: { 200: SettlementStatus, 401: ErrorBody, 403: ErrorBody },
      },
    },
    (request) => settlementStatus(app.platform.db, request.query.terminalId),
  );
};
