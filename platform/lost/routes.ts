/**
 * Routes of the invalid-registration unit: the operator's lost report (S5, B1') and the
 * hotlist terminals download (full, or the delta since a version they hold).
 */
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, requireCaller } from '../auth/caller';
import { audit } from '../audit';
import { conflict, notFound } from '../errors';
import { ErrorBody } from '../http/errors';
import { announceNotices } from '../notifications/surface';
import { HotlistBuilder } from './hotlist';
import { revokeWallet } from './revoke';

const WalletIdHex = z.string().regex(/^[0-9a-f]{32}$/, '16 bytes, lower-case hex');
const AccountId = z.string().regex(/^[A-Za-z0-9._-]{1,32}$/);

const LostReport = z
  .object({
    walletId: WalletIdHex.optional(),
    accountId: AccountId.optional(),
    /** 'stolen' is recorded as such; both lock and wipe the phone. */
    reason: z.enum(['lost', 'stolen']).default('lost'),
  })
  .strict()
  .refine((b) => (b.walletId === undefined) !== (b.accountId === undefined), {
    message: 'name exactly one of walletId or accountId',
    path: ['walletId'],
  });

const LostResult = z.object({
  walletId: WalletIdHex,
  accountId: z.string(),
  reason: z.enum(['lost', 'stolen']),
  hotlistVersion: z.number().int(),
  notices: z.array(z.object({ type: z.string(), sequence: z.number().int() })),
});

const HOTLIST_HEADERS = {
  version: 'x-tapsafe-hotlist-version',
  kind: 'x-tapsafe-hotlist-kind',
} as const;

// eslint-disable-next-line @typescript-eslint/require-await -- Fastify plugins are async by contract
export const lostRoutes: FastifyPluginAsyncZod = async (app) => {
  const hotlists = new HotlistBuilder(app.platform.db, app.platform);

  app.post(
    '/lost-reports',
    {
      config: { auth: 'operator' },
      schema: {
        summary: 'Report a phone lost: revoke its wallet, hotlist it, queue lock and wipe',
        body: LostReport,
        response: {
          200: LostResult,
          401: ErrorBody,
          403: ErrorBody,
          404: ErrorBody,
          409: ErrorBody,
        },
      },
    },
    async (request) => {
      const caller = requireCaller(request, 'operator');
      const { db, clock } = app.platform;
      const { walletId, accountId, reason } = request.body;
      const { keys } = app.platform;
      const result = await db.transaction().execute(async (trx) => {
        let query = trx.selectFrom('wallets').select(['wallet_id', 'account_id', 'status']);
        query =
          walletId !== undefined
            ? query.where('wallet_id', '=', Buffer.from(walletId, 'hex'))
            : query
                .where('account_id', '=', accountId ?? '')
                .where('status', 'in', ['active', 'locked']);
        const wallet = await query.executeTakeFirst();
        if (wallet === undefined) {
          throw walletId !== undefined
            ? notFound('unknown_wallet', 'no such wallet', 'walletId')
            : notFound('no_live_wallet', 'the account has no active or locked wallet', 'accountId');
        }
        const hex = Buffer.from(wallet.wallet_id).toString('hex');
        const revoked = await revokeWallet(
          trx,
          { keys, clock },
          { walletId: wallet.wallet_id, reason },
        );
        if (!revoked.revoked) {
          throw conflict(
            'wallet_already_revoked',
            `the wallet is already ${revoked.status}`,
            'walletId',
          );
        }
        await audit(trx, {
          actor: actorOf(caller),
          action: 'wallet.report_lost',
          subject: `wallet:${hex}`,
          outcome: 'ok',
          remoteAddress: request.ip,
          detail: { reason, accountId: wallet.account_id, hotlistVersion: revoked.hotlistVersion },
          at: clock.now(),
        });
        return {
          walletId: hex,
          accountId: wallet.account_id,
          reason,
          hotlistVersion: revoked.hotlistVersion,
          notices: [...revoked.notices],
        };
      });
      announceNotices(app.platform, result.walletId);
      return result;
    },
  );

  const sendHotlist = async (since: number | undefined, reply: FastifyReply) => {
    const signed = await hotlists.build(since);
    return reply
      .header(HOTLIST_HEADERS.version, String(signed.value.hotlistVersion))
      .header(HOTLIST_HEADERS.kind, signed.value.kind)
      .type('application/octet-stream')
      .send(Buffer.from(signed.encoded));
  };

  app.get(
    '/hotlist',
    {
      config: {
        auth: 'terminal',
        binary: { response: { 200: 'the signed Hotlist envelope' } },
      },
      schema: {
        summary: 'The full signed hotlist (application/octet-stream, a Hotlist envelope)',
        response: { 401: ErrorBody, 403: ErrorBody, 503: ErrorBody },
      },
    },
    (_request, reply) => sendHotlist(undefined, reply),
  );

  app.get(
    '/hotlist/delta',
    {
      config: {
        auth: 'terminal',
        binary: { response: { 200: 'the signed Hotlist envelope' } },
      },
      schema: {
        summary:
          'The signed hotlist since a version; a full list when that version is unknown or too old',
        querystring: z.object({
          since: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
        }),
        response: { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 503: ErrorBody },
      },
    },
    (request, reply) => sendHotlist(request.query.since, reply),
  );
};
