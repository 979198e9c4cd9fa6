/**
 * Routes of the migration unit. The re-activation flow today (S6): the lost phone is
 * reported (lost unit), the new phone activates (activation unit: new IMEI / IMSI / key,
 * certificate, freshness token), then the new wallet asks for the old one's e-cash here,
 * re-verified with the registration details. Operators may migrate between two wallets
 * of one account directly, and release holds whose window has closed.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Registration } from '../accounts/schemas';
import { actorOf } from '../auth/caller';
import { audit } from '../audit';
import { badRequest, forbidden, notFound } from '../errors';
import { ErrorBody } from '../http/errors';
import { announceNotices } from '../notifications';
import { AttemptLimiter } from '../security/attempt-limiter';
import { verifyRegistration } from '../verification';
import { dueHolds, releaseHold } from './hold';
import { migrateWallet } from './migrate';

const WalletIdHex = z.string().regex(/^[0-9a-f]{32}$/, '16 bytes, lower-case hex');

export const migrationLimiter = new AttemptLimiter({
  name: 'migration',
  maxFailures: 5,
  windowSeconds: 900,
});

const MigrationBody = z
  .object({
    /** Required from a wallet (re-verification); operators verified the user themselves. */
    registration: Registration.optional(),
    /** Default for a wallet: the account's latest revoked wallet not yet migrated. */
    oldWalletId: WalletIdHex.optional(),
    /** Operators only: the wallet receiving the e-cash. */
    newWalletId: WalletIdHex.optional(),
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

const errors = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
  429: ErrorBody,
};

// eslint-disable-next-line @typescript-eslint/require-await -- Fastify plugins are async by contract
export const migrationRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/migrations',
    {
      config: { auth: ['wallet', 'operator'] },
      schema: {
        summary: "Move a lost or replaced wallet's e-cash to the new wallet, minus the risk hold",
        body: MigrationBody,
        response: { 201: Migrated, ...errors },
      },
    },
    async (request, reply) => {
      const caller = request.caller;
      const { db, clock } = app.platform;
      const body = request.body;
      let newWalletId: Buffer;
      let accountId: string | undefined;
      if (caller?.kind === 'wallet') {
        if (body.newWalletId !== undefined)
          throw badRequest('invalid_request', 'a wallet migrates to itself', 'newWalletId');
        if (body.registration === undefined)
          throw badRequest('invalid_request', 'registration details are required', 'registration');
        const scopes = { wallet: caller.walletIdHex, address: request.ip };
        await migrationLimiter.assertAllowed(db, clock.now(), scopes);
        const check = await verifyRegistration(db, body.registration);
        if (!check.ok || check.account.account_id !== caller.accountId) {
          await migrationLimiter.recordFailure(db, clock.now(), scopes);
          await audit(db, {
            actor: actorOf(caller),
            action: 'wallet.migrate',
            subject: `wallet:${caller.walletIdHex}`,
            outcome: 'denied',
            remoteAddress: request.ip,
            detail: { reason: check.ok ? 'other_account' : check.reason },
            at: clock.now(),
          });
          throw forbidden('registration_mismatch', 'the registration details do not match');
        }
        await migrationLimiter.clear(db, { wallet: caller.walletIdHex });
        newWalletId = Buffer.from(caller.walletId);
        accountId = caller.accountId;
      } else {
        if (body.newWalletId === undefined || body.oldWalletId === undefined)
          throw badRequest('invalid_request', 'name oldWalletId and newWalletId', 'newWalletId');
        newWalletId = Buffer.from(body.newWalletId, 'hex');
      }
      const { keys } = app.platform;
      const result = await db.transaction().execute(async (trx) => {
        let oldWalletId: Uint8Array;
        if (body.oldWalletId !== undefined) {
          oldWalletId = Buffer.from(body.oldWalletId, 'hex');
        } else {
          const latest = await trx
            .selectFrom('wallets as w')
            .leftJoin('wallet_migrations as m', 'm.old_wallet_id', 'w.wallet_id')
            .select('w.wallet_id')
            .where('w.account_id', '=', accountId ?? '')
            .where('w.status', 'in', ['revoked', 'migrated'])
            .where('m.old_wallet_id', 'is', null)
            .orderBy('w.revoked_at', 'desc')
            .executeTakeFirst();
          if (latest === undefined)
            throw notFound(
              'nothing_to_migrate',
              'no revoked wallet left to migrate',
              'oldWalletId',
            );
          oldWalletId = latest.wallet_id;
        }
        const migrated = await migrateWallet(trx, { keys, clock }, { oldWalletId, newWalletId });
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

  const release = async (
    oldWalletId: Uint8Array,
    ip: string,
    actor: ReturnType<typeof actorOf>,
  ) => {
    const { keys } = app.platform;
    const { db, clock } = app.platform;
    const result = await db.transaction().execute(async (trx) => {
      const released = await releaseHold(trx, { keys, clock }, oldWalletId);
      await audit(trx, {
        actor,
        action: 'migration.release_hold',
        subject: `wallet:${released.oldWalletId}`,
        outcome: 'ok',
        remoteAddress: ip,
        detail: { released: released.released, newWalletId: released.newWalletId },
        at: clock.now(),
      });
      return released;
    });
    announceNotices(app.platform, result.newWalletId);
    return result;
  };

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
      release(Buffer.from(request.params.oldWalletId, 'hex'), request.ip, actorOf(request.caller)),
  );

  app.post(
    '/migrations/release-due',
    {
      config: { auth: 'operator' },
      schema: {
        summary: 'Release every hold whose window has closed (the periodic job)',
        response: { 200: z.object({ released: z.array(Released) }), ...errors },
      },
    },
    async (request) => {
      const due = await dueHolds(app.platform.db, app.platform.clock.now());
      const released = [];
      for (const oldWalletId of due)
        released.push(await release(oldWalletId, request.ip, actorOf(request.caller)));
      return { released };
    },
  );
};
