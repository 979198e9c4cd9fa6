/**
 * Registration and accounts (the patent's user information database): operators register
 * users, load e-cash onto their accounts and inspect accounts and wallets. The user's
 * money sits in the ledger account `user:<accountId>` until activation or a top-up moves
 * it to a wallet; loading draws it from `platform:float`.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { hashPassword } from '../../protocol';
import { actorOf, requireCaller } from '../auth/caller';
import { audit } from '../audit';
import { conflict, notFound } from '../errors';
import { errorResponses } from '../http/errors';
import { storedText } from '../http/text';
import { balanceOf, ledgerAccount, postTransaction } from '../ledger/post';
import {
  AccountId,
  Amount,
  IdNumber,
  Password,
  PositiveAmount,
  RequestId,
  WalletIdHex,
} from './schemas';
import { AccountView, accountView, WalletView, walletView } from './view';

const NewAccount = z.object({
  accountId: AccountId,
  name: storedText(200),
  password: Password,
  idNumber: IdNumber.optional(),
  phoneNumber: z
    .string()
    .regex(/^[+]?[0-9]{4,20}$/)
    .optional(),
  /** E-cash paid in at registration, minor units (0: none). */
  balance: Amount.default(0),
});

const Load = z.object({ amount: PositiveAmount, requestId: RequestId.optional() });
const Balance = z.object({ accountId: z.string(), balance: z.number().int() });
const errors = errorResponses(400, 401, 403, 404, 409, 422);

/** platform:float → user:<accountId>, inside the caller's transaction. */
async function loadAccount(
  trx: Parameters<typeof postTransaction>[0],
  accountId: string,
  amount: number,
  at: number,
  reference?: string,
) {
  return postTransaction(trx, {
    kind: 'account.load',
    ...(reference === undefined ? {} : { reference }),
    entries: [
      { account: ledgerAccount('platform', 'float'), amount: -amount },
      { account: ledgerAccount('user', accountId), amount },
    ],
    at,
  });
}

// eslint-disable-next-line @typescript-eslint/require-await -- Fastify plugins are async by contract
export const accountRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/accounts',
    {
      config: { auth: 'operator' },
      schema: {
        summary: 'Register a user (name, account, password, ID number, phone, e-cash)',
        body: NewAccount,
        response: { 201: Balance, ...errors },
      },
    },
    async (request, reply) => {
      requireCaller(request, 'operator');
      const { db, clock } = app.platform;
      const body = request.body;
      // Hash outside the transaction: scrypt takes tens of milliseconds.
      const passwordHash = await hashPassword(body.password);
      const idNumberHash = body.idNumber === undefined ? null : await hashPassword(body.idNumber);
      const at = clock.now();
      await db.transaction().execute(async (trx) => {
        const inserted = await trx
          .insertInto('accounts')
          .values({
            account_id: body.accountId,
            name: body.name,
            password_hash: passwordHash,
            id_number_hash: idNumberHash,
            phone_number: body.phoneNumber ?? null,
            created_at: at,
          })
          .onConflict((oc) => oc.column('account_id').doNothing())
          .returning('account_id')
          .executeTakeFirst();
        if (inserted === undefined) {
          throw conflict('account_exists', 'an account with this id exists', 'accountId');
        }
        if (body.balance > 0) await loadAccount(trx, body.accountId, body.balance, at);
        await audit(trx, {
          actor: actorOf(request.caller),
          action: 'account.create',
          subject: `account:${body.accountId}`,
          outcome: 'ok',
          remoteAddress: request.ip,
          detail: { balance: body.balance, idNumberGiven: body.idNumber !== undefined },
          at,
        });
      });
      return reply.code(201).send({ accountId: body.accountId, balance: body.balance });
    },
  );

  app.get(
    '/accounts/:accountId',
    {
      config: { auth: 'operator' },
      schema: {
        summary: 'An account: details, e-cash balance, wallets',
        params: z.object({ accountId: AccountId }),
        response: { 200: AccountView, ...errors },
      },
    },
    (request) => accountView(app.platform.db, request.params.accountId),
  );

  app.post(
    '/accounts/:accountId/load',
    {
      config: { auth: 'operator' },
      schema: {
        summary: 'Load e-cash onto a user account (platform:float → user)',
        params: z.object({ accountId: AccountId }),
        body: Load,
        response: { 200: Balance, ...errors },
      },
    },
    async (request) => {
      const { db, clock } = app.platform;
      const { accountId } = request.params;
      const { amount, requestId } = request.body;
      const at = clock.now();
      return db.transaction().execute(async (trx) => {
        const account = await trx
          .selectFrom('accounts')
          .select('account_id')
          .where('account_id', '=', accountId)
          .executeTakeFirst();
        if (account === undefined) throw notFound('unknown_account', 'no such account');
        const reference =
          requestId === undefined ? undefined : `account.load:${accountId}:${requestId}`;
        const posted = await loadAccount(trx, accountId, amount, at, reference);
        if (!posted.replayed) {
          await audit(trx, {
            actor: actorOf(request.caller),
            action: 'account.load',
            subject: `account:${accountId}`,
            outcome: 'ok',
            remoteAddress: request.ip,
            detail: { amount },
            at,
          });
        }
        return { accountId, balance: await balanceOf(trx, ledgerAccount('user', accountId)) };
      });
    },
  );

  app.get(
    '/wallets/:walletId',
    {
      config: { auth: 'operator' },
      schema: {
        summary: 'A wallet: status, balance, certificate serial, pending notices',
        params: z.object({ walletId: WalletIdHex }),
        response: { 200: WalletView, ...errors },
      },
    },
    (request) => walletView(app.platform.db, Buffer.from(request.params.walletId, 'hex')),
  );
};
