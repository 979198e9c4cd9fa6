/**
 * Top-up: more e-cash onto an active wallet, from the user's account (`user:<accountId>` →
 * `wallet:<hex>`), announced to the phone by a signed 'top_up' notice carrying the amount
 * and the new balance. The phone ADDS `amount` (it never overwrites its balance from the
 * notice's `balance`, which does not know the offline payments not yet settled).
 *
 * Who may ask: the wallet itself (the user in the app moves their own money) or an
 * operator (at the counter). A wallet can only touch its own wallet (route param check);
 * either way the money comes from the wallet's own account, never another's.
 * `requestId` makes a retry post once: the same id again answers without moving money.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { hex, PositiveAmount, RequestId, WalletIdHex } from '../accounts/schemas';
import { audit } from '../audit';
import { actorOf } from '../auth/caller';
import { conflict, notFound } from '../errors';
import { errorResponses } from '../http/errors';
import { balanceOf, ledgerAccount, postTransaction } from '../ledger/post';
import { announceNotices, queueNotification } from '../notifications/surface';

const TopUpBody = z.object({ amount: PositiveAmount, requestId: RequestId.optional() });
const TopUpResult = z.object({
  walletId: z.string(),
  amount: z.number().int(),
  balance: z.number().int().describe('wallet balance held by the platform after the top-up'),
  accountBalance: z.number().int(),
  sequence: z.number().int().nullable().describe('the top_up notice; null for a replay'),
});
const errors = errorResponses(400, 401, 403, 404, 409, 422);

// eslint-disable-next-line @typescript-eslint/require-await -- Fastify plugins are async by contract
export const topUpRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/wallets/:walletId/top-up',
    {
      config: { auth: ['wallet', 'operator'] },
      schema: {
        summary: 'Load more e-cash from the user account onto an active wallet',
        params: z.object({ walletId: WalletIdHex }),
        body: TopUpBody,
        response: { 200: TopUpResult, ...errors },
      },
    },
    async (request) => {
      const { db, clock } = app.platform;
      const { keys } = app.platform;
      const walletIdHex = request.params.walletId;
      const walletId = Buffer.from(walletIdHex, 'hex');
      const { amount, requestId } = request.body;
      const result = await db.transaction().execute(async (trx) => {
        const at = clock.now();
        // Row lock: a concurrent lost report cannot revoke the wallet under our feet.
        const wallet = await trx
          .selectFrom('wallets')
          .select(['account_id', 'status'])
          .where('wallet_id', '=', walletId)
          .forUpdate()
          .executeTakeFirst();
        if (wallet === undefined) throw notFound('unknown_wallet', 'no such wallet', 'walletId');
        if (wallet.status !== 'active') {
          throw conflict('wallet_not_active', `the wallet is ${wallet.status}`);
        }
        const user = ledgerAccount('user', wallet.account_id);
        const purse = ledgerAccount('wallet', walletIdHex);
        const reference = requestId === undefined ? undefined : `topup:${walletIdHex}:${requestId}`;
        if (reference === undefined || !(await alreadyPosted(trx, reference))) {
          const available = await balanceOf(trx, user);
          if (amount > available) {
            throw conflict('insufficient_funds', `the account holds ${available}`, 'amount');
          }
        }
        const posted = await postTransaction(trx, {
          kind: 'wallet.top_up',
          ...(reference === undefined ? {} : { reference }),
          entries: [
            { account: user, amount: -amount },
            { account: purse, amount },
          ],
          at,
        });
        const balance = await balanceOf(trx, purse);
        let sequence: number | null = null;
        if (!posted.replayed) {
          const notice = await queueNotification(
            trx,
            { keys, clock },
            { walletId, type: 'top_up', amount, balance },
          );
          sequence = notice.value.sequence;
          await audit(trx, {
            actor: actorOf(request.caller),
            action: 'wallet.top_up',
            subject: `wallet:${walletIdHex}`,
            outcome: 'ok',
            remoteAddress: request.ip,
            detail: { amount, sequence },
            at,
          });
        }
        return {
          walletId: hex(walletId),
          amount,
          balance,
          accountBalance: await balanceOf(trx, user),
          sequence,
        };
      });
      if (result.sequence !== null) announceNotices(app.platform, walletIdHex);
      return result;
    },
  );
};

async function alreadyPosted(
  trx: Parameters<typeof postTransaction>[0],
  reference: string,
): Promise<boolean> {
  const row = await trx
    .selectFrom('ledger_transactions')
    .select('txn_id')
    .where('reference', '=', reference)
    .executeTakeFirst();
  return row !== undefined;
}
