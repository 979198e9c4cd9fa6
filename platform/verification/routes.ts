/**
 * Unlock (S7-S9; claims 10, 28-29, step 62): a temp-locked phone asks the platform to lift
 * its lock. The platform re-checks IMEI and IMSI against the stored binding and the
 * registration details against the account; on success it queues a signed 'unlock' notice
 * and answers as a sync would (the notice, anything else pending). On failure nothing
 * changes but the failure count: 403 with a typed code (registration_mismatch names the
 * detail at fault in `field`), rate-limited per wallet AND per address (429 once either is
 * used up), every attempt audited without the details.
 *
 * An unlock is an online sync: with the phone's `counter` (sent when its secrets are
 * open) the answer carries a freshness token as a sync's does, so the offline totals
 * restart from it (docs/architecture.md, "Online sync").
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Imei, Imsi, Registration, WalletIdHex } from '../accounts/schemas';
import { audit } from '../audit';
import { requireCaller } from '../auth/caller';
import { forbidden } from '../errors';
import { errorResponses } from '../http/errors';
import { balanceOf, ledgerAccount } from '../ledger/post';
import { announceNotices, queueNotification } from '../notifications/surface';
import { AttemptLimiter } from '../security/attempt-limiter';
import { lastAcknowledged, syncAnswer } from '../sync/deliver';
import { SyncAnswer } from '../sync/schemas';
import { registrationRefusal, verifyRegistration } from './registration';

export const unlockLimiter = new AttemptLimiter({
  name: 'unlock',
  maxFailures: 5,
  windowSeconds: 900,
});

const UnlockBody = z.object({
  imei: Imei,
  imsi: Imsi,
  registration: Registration,
  /** Notices up to here are applied; default: what the phone last acknowledged. */
  lastSequence: z.number().int().min(0).optional(),
  counter: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe(
      "the wallet's counter; when sent, the answer carries a freshness token (an online sync)",
    ),
});

const errors = errorResponses(400, 401, 403, 429);

// eslint-disable-next-line @typescript-eslint/require-await -- Fastify plugins are async by contract
export const verificationRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/wallets/:walletId/unlock',
    {
      config: { auth: 'wallet', walletStatuses: ['active', 'locked'] },
      schema: {
        summary: 'Lift a temporary lock after re-verifying the user (S7-S9)',
        params: z.object({ walletId: WalletIdHex }),
        body: UnlockBody,
        response: { 200: SyncAnswer, ...errors },
      },
    },
    async (request) => {
      const caller = requireCaller(request, 'wallet');
      const { db, clock } = app.platform;
      const body = request.body;
      const scopes = { wallet: caller.walletIdHex, address: request.ip };
      const event = {
        actor: { kind: 'wallet' as const, id: caller.walletIdHex },
        action: 'wallet.unlock',
        subject: `wallet:${caller.walletIdHex}`,
        remoteAddress: request.ip,
      };
      await unlockLimiter.assertAllowed(db, clock.now(), scopes);

      const binding = await db
        .selectFrom('wallets')
        .select(['imei', 'imsi', 'account_id'])
        .where('wallet_id', '=', caller.walletId)
        .executeTakeFirstOrThrow();
      // Always run the password check, so timing does not tell which part was wrong.
      const check = await verifyRegistration(db, body.registration);
      const reason = !check.ok
        ? check.reason
        : body.registration.accountId !== binding.account_id
          ? 'account_mismatch'
          : body.imei !== binding.imei || body.imsi !== binding.imsi
            ? 'binding_mismatch'
            : undefined;
      if (reason !== undefined) {
        await unlockLimiter.recordFailure(db, clock.now(), scopes);
        await audit(db, { ...event, outcome: 'denied', detail: { reason }, at: clock.now() });
        throw reason === 'binding_mismatch'
          ? forbidden('binding_mismatch', 'IMEI or IMSI differ from the activated phone')
          : registrationRefusal(reason);
      }
      await unlockLimiter.clear(db, { wallet: caller.walletIdHex });

      const { keys } = app.platform;
      const answer = await db.transaction().execute(async (trx) => {
        const at = clock.now();
        const after = body.lastSequence ?? (await lastAcknowledged(trx, caller.walletId));
        const balance = await balanceOf(trx, ledgerAccount('wallet', caller.walletIdHex));
        const notice = await queueNotification(
          trx,
          { keys, clock },
          { walletId: caller.walletId, type: 'unlock', balance },
        );
        await audit(trx, {
          ...event,
          outcome: 'ok',
          detail: { sequence: notice.value.sequence },
          at,
        });
        return syncAnswer({ keys, clock }, trx, caller, body.counter, after);
      });
      announceNotices(app.platform, caller.walletIdHex);
      return answer;
    },
  );
};
