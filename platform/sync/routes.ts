/**
 * Sync (S10 and every online contact): a wallet-signed request returns a fresh freshness
 * token, the notices the phone has not applied and the issuer-key announcements; acknowledgements mark notices
 * delivered; a WebSocket pushes new notices while the phone is connected (pull stays the
 * fallback: a phone that misses a push gets the notice at its next sync).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Amount, Imei, Imsi, WalletIdHex } from '../accounts/schemas';
import { audit } from '../audit';
import { requireCaller } from '../auth/caller';
import { errorResponses } from '../http/errors';
import { acknowledge, REACHABLE_STATUSES, syncAnswer } from './deliver';
import { SyncAnswer } from './schemas';
import { attachSocket } from './socket';

const SyncBody = z.object({
  /** Notices up to here are applied; only newer ones are sent (and older ones acknowledged). */
  lastSequence: z.number().int().min(0),
  /** The phone's view; without a counter (a locked phone) no token is issued. */
  balance: Amount.optional(),
  counter: z.number().int().min(0).optional(),
  imei: Imei.optional(),
  imsi: Imsi.optional(),
});

const params = z.object({ walletId: WalletIdHex });
const errors = errorResponses(400, 401, 403);
const reachable = { auth: 'wallet' as const, walletStatuses: REACHABLE_STATUSES };

// eslint-disable-next-line @typescript-eslint/require-await -- Fastify plugins are async by contract
export const syncRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/wallets/:walletId/sync',
    {
      config: reachable,
      schema: {
        summary: 'Freshness token and pending notices for an online wallet',
        params,
        body: SyncBody,
        response: { 200: SyncAnswer, ...errors },
      },
    },
    async (request) => {
      const caller = requireCaller(request, 'wallet');
      const { db, keys, clock } = app.platform;
      const body = request.body;
      const binding = await db
        .selectFrom('wallets')
        .select(['imei', 'imsi'])
        .where('wallet_id', '=', caller.walletId)
        .executeTakeFirstOrThrow();
      // A phone reporting another identity gets its notices but no new token: the binding
      // is the unlock's business, not sync's.
      const identityMatches =
        (body.imei === undefined || body.imei === binding.imei) &&
        (body.imsi === undefined || body.imsi === binding.imsi);
      if (!identityMatches) {
        await audit(db, {
          actor: { kind: 'wallet', id: caller.walletIdHex },
          action: 'wallet.sync',
          subject: `wallet:${caller.walletIdHex}`,
          outcome: 'denied',
          remoteAddress: request.ip,
          detail: { reason: 'identity_mismatch' },
          at: clock.now(),
        });
      }
      await acknowledge(db, caller.walletId, body.lastSequence, clock.now());
      return syncAnswer(
        { keys, clock },
        db,
        caller,
        identityMatches ? body.counter : undefined,
        body.lastSequence,
      );
    },
  );

  app.post(
    '/wallets/:walletId/notifications/ack',
    {
      config: reachable,
      schema: {
        summary: 'The phone applied every notice up to this sequence',
        params,
        body: z.object({ sequence: z.number().int().min(0) }),
        response: { 200: z.object({ acknowledged: z.number().int() }), ...errors },
      },
    },
    async (request) => {
      const caller = requireCaller(request, 'wallet');
      const { db, clock } = app.platform;
      const acknowledged = await acknowledge(
        db,
        caller.walletId,
        request.body.sequence,
        clock.now(),
      );
      return { acknowledged };
    },
  );

  app.get(
    '/wallets/:walletId/notifications/socket',
    {
      websocket: true,
      config: reachable,
      schema: {
        summary: 'WebSocket: pushes each new notice of this wallet (JSON text frames)',
        params,
        querystring: z.object({ after: z.coerce.number().int().min(0).default(0) }),
      },
    },
    (socket, request) => {
      const caller = requireCaller(request, 'wallet');
      attachSocket(app.platform, socket, caller, request.query.after, request.log);
    },
  );
};
