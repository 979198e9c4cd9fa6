/**
 * Re-activation in one step (S6; claims 26-27, B3'): the user's new phone sends what an
 * activating phone sends (IMEI, IMSI, its new wallet key, the registration details); the
 * platform re-verifies the user (the activation rate limit), then in ONE transaction issues
 * the new wallet (activation/issue.ts) and moves the replaced wallet's e-cash to it minus
 * the risk hold (migrate.ts). The phone installs the grant as at activation, with the moved
 * e-cash as its balance; the old phone gets a migrate-out notice (after its lost report's
 * lock and wipe) and erases itself when it next hears from the platform or a terminal.
 *
 * Only a wallet reported lost or stolen is replaced this way. While the account still has
 * a live wallet the request is refused (409 wallet_not_reported_lost): knowing the
 * password must not be enough to take the money off a phone the user still holds — a
 * phone upgrade reports the old phone first. A wallet revoked for double spending stays
 * with an operator (409 previous_wallet_disabled; POST /v1/migrations).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { WalletIdHex } from '../accounts/schemas';
import {
  anonymousAttempt,
  auditIssued,
  Grant,
  grantFor,
  issueToVerifiedUser,
  issueWallet,
  NewPhone,
} from '../activation/issue';
import { conflict, notFound } from '../errors';
import { errorResponses } from '../http/errors';
import { announceNotices } from '../notifications/surface';
import { migrateWallet } from './migrate';
import { previousWallet, REACTIVATABLE } from './previous';

const ReactivationBody = NewPhone.extend({
  /** Default: the account's latest wallet reported lost or stolen and not yet migrated. */
  previousWalletId: WalletIdHex.optional(),
}).strict();

const Reactivated = Grant.extend({
  migration: z.object({
    oldWalletId: z.string(),
    /** E-cash moved to the new wallet now: the grant's balance. */
    moved: z.number().int(),
    /** Kept for the old phone's late offline payments; released to the new wallet later. */
    held: z.number().int(),
    holdUntil: z.number().int(),
  }),
});

const NOT_REPORTED_LOST = {
  code: 'wallet_not_reported_lost',
  message: 'the account has a live wallet: report the old phone lost first',
};

const errors = errorResponses(400, 403, 404, 409, 429, 422);

// eslint-disable-next-line @typescript-eslint/require-await -- Fastify plugins are async by contract
export const reactivationRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/reactivations',
    {
      config: { auth: 'public' },
      schema: {
        summary:
          "Re-activate on a new phone (S6): a new wallet, and the lost wallet's e-cash minus the risk hold",
        body: ReactivationBody,
        response: { 201: Reactivated, ...errors },
      },
    },
    async (request, reply) => {
      const { clock } = app.platform;
      const body = request.body;
      const { accountId } = body.registration;
      const attempt = anonymousAttempt(request.ip, 'wallet.reactivate');
      const result = await issueToVerifiedUser(
        app.platform,
        { phone: body, attempt, whenLive: NOT_REPORTED_LOST },
        async (trx) => {
          const wanted = body.previousWalletId;
          const previous = await previousWallet(
            trx,
            accountId,
            wanted === undefined ? undefined : Buffer.from(wanted, 'hex'),
          );
          if (previous === undefined) {
            throw notFound(
              'no_previous_wallet',
              'no lost wallet of this account is waiting to migrate',
              'previousWalletId',
            );
          }
          if (previous.reason === null || !REACTIVATABLE.includes(previous.reason)) {
            throw conflict(
              'previous_wallet_disabled',
              `a wallet revoked as ${previous.reason ?? 'unknown'} is settled by an operator`,
              'previousWalletId',
            );
          }
          const issued = await issueWallet(trx, app.platform, { ...body, accountId });
          const migrated = await migrateWallet(trx, app.platform, {
            oldWalletId: previous.walletId,
            newWalletId: issued.walletId,
            topUpNotice: false,
          });
          const detail = { ...migrated, serial: issued.serial };
          await auditIssued(trx, attempt, issued.walletId, detail, clock.now());
          const { oldWalletId, moved, held, holdUntil } = migrated;
          return {
            ...(await grantFor(trx, app.platform, issued)),
            migration: { oldWalletId, moved, held, holdUntil },
          };
        },
      );
      announceNotices(app.platform, result.migration.oldWalletId);
      return reply.code(201).send(result);
    },
  );
};
