/**
 * Routes of the migration unit. A user's new phone re-activates in one step
 * (POST /v1/reactivations, reactivation.ts): new wallet and e-cash move together. The
 * operator routes here settle what that flow refuses (a wallet revoked for double
 * spending, a new wallet activated before the old one was reported) by migrating between
 * two wallets of one account, and release holds; the server's job (jobs/) releases due
 * holds by itself.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { WalletIdHex } from '../accounts/schemas';
import { actorOf, requireCaller } from '../auth/caller';
import { audit } from '../audit';
import { errorResponses } from '../http/errors';
import { announceNotices } from '../notifications/surface';
import { migrateWallet } from './migrate';
import { reactivationRoutes } from './reactivation';
import { releaseAndAnnounce, releaseDueHolds } from './release';

const MigrationBody = z
  .object({
    oldWalletId: WalletIdHex,
    /** The wallet receiving the e-cash: the account's live wallet. */
    newWalletId: WalletIdHex,
  })
  .strict();

const Migrated = z.object({
  oldWalletId: z.string(),
  newWalletId: z.string(),
  accountId: z.string(),
  moved: z.number().int(),
  held: z.number().int(),
  holdUntil: z.number().int(),
  balance: z.number().int(),
});

const Released = z.object({
  oldWalletId: z.string(),
  newWalletId: z.string(),
  released: z.number().int(),
  balance: z.number().int(),
  notificationSequence: z.number().int().nullable(),
});

const errors = errorResponses(400, 401, 403, 404, 409, 422);

export const migrationRoutes: FastifyPluginAsyncZod = async (app) => {
  await app.register(reactivationRoutes);

  app.post(
    '/migrations',
    {
      config: { auth: 'operator' },
      schema: {
        summary: "Move an old wallet's e-cash to the account's new wallet, minus the risk hold",
        body: MigrationBody,
        response: { 201: Migrated, ...errors },
      },
    },
    async (request, reply) => {
      const caller = requireCaller(request, 'operator');
      const { db, clock } = app.platform;
      const oldWalletId = Buffer.from(request.body.oldWalletId, 'hex');
      const newWalletId = Buffer.from(request.body.newWalletId, 'hex');
      const result = await db.transaction().execute(async (trx) => {
        const migrated = await migrateWallet(trx, app.platform, { oldWalletId, newWalletId });
        await audit(trx, {
          actor: actorOf(caller),
          action: 'wallet.migrate',
          subject: `wallet:${migrated.oldWalletId}`,
          outcome: 'ok',
          remoteAddress: request.ip,
          detail: { ...migrated },
          at: clock.now(),
        });
        return migrated;
      });
      announceNotices(app.platform, result.oldWalletId, result.newWalletId);
      return reply.code(201).send(result);
    },
  );

  app.post(
    '/migrations/:oldWalletId/release',
    {
      config: { auth: 'operator' },
      schema: {
        summary: 'Release the risk hold of a migrated wallet to its new wallet (once)',
        params: z.object({ oldWalletId: WalletIdHex }),
        response: { 200: Released, ...errors },
      },
    },
    (request) =>
      releaseAndAnnounce(app.platform, Buffer.from(request.params.oldWalletId, 'hex'), {
        actor: actorOf(request.caller),
        remoteAddress: request.ip,
      }),
  );

  app.post(
    '/migrations/release-due',
    {
      config: { auth: 'operator' },
      schema: {
        summary: 'Release every hold whose window has closed now (the server also does it itself)',
        response: {
          200: z.object({
            released: z.array(Released),
            failed: z.array(z.object({ oldWalletId: z.string(), code: z.string() })),
          }),
          ...errors,
        },
      },
    },
    (request) =>
      releaseDueHolds(app.platform, { actor: actorOf(request.caller), remoteAddress: request.ip }),
  );
};
