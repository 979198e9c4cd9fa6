/**
 * Activation (S1; claims 4, 9, 24 steps A1-A3): a phone sends IMEI, IMSI, the user's
 * registration details and the public key it generated; the platform checks the user,
 * stores the binding, issues the wallet certificate and a first freshness token, and moves
 * the e-cash from the user's account to the wallet — all in one transaction.
 *
 * The route is necessarily public (no wallet exists yet to sign the request), so the
 * credential check is rate-limited per account and per address and every attempt audited.
 * E-cash loaded: `amount` when the phone asks for one, else the user's whole balance.
 * A phone replacing a lost one re-activates instead (POST /v1/reactivations, migration
 * unit), which also moves the old wallet's e-cash; the issuing itself is issue.ts.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Amount, hex } from '../accounts/schemas';
import { conflict } from '../errors';
import { errorResponses } from '../http/errors';
import { balanceOf, ledgerAccount, postTransaction } from '../ledger/post';
import { previousWallet, REACTIVATABLE } from '../migration/previous';
import {
  anonymousAttempt,
  auditIssued,
  Grant,
  grantFor,
  issueToVerifiedUser,
  issueWallet,
  NewPhone,
} from './issue';

const ActivationBody = NewPhone.extend({
  /** E-cash to load, minor units; default: the user's whole balance. */
  amount: Amount.optional(),
});

const WALLET_EXISTS = {
  code: 'wallet_exists',
  message: 'this account already has a wallet; report it lost, then re-activate',
};

const errors = errorResponses(400, 403, 409, 429, 422);

// eslint-disable-next-line @typescript-eslint/require-await -- Fastify plugins are async by contract
export const activationRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/activations',
    {
      config: { auth: 'public' },
      schema: {
        summary: 'Activate a phone wallet (S1): binding, certificate, e-cash',
        body: ActivationBody,
        response: { 201: Grant, ...errors },
      },
    },
    async (request, reply) => {
      const { clock } = app.platform;
      const body = request.body;
      const { accountId } = body.registration;
      const attempt = anonymousAttempt(request.ip, 'wallet.activate');
      const grant = await issueToVerifiedUser(
        app.platform,
        { phone: body, attempt, whenLive: WALLET_EXISTS },
        async (trx) => {
          const previous = await previousWallet(trx, accountId);
          if (previous?.reason && REACTIVATABLE.includes(previous.reason)) {
            // Starting afresh would strand the lost wallet's e-cash.
            throw conflict(
              'reactivate_instead',
              'the account has a lost wallet: re-activate to move its e-cash',
            );
          }
          const available = await balanceOf(trx, ledgerAccount('user', accountId));
          const amount = body.amount ?? available;
          if (amount > available) {
            throw conflict('insufficient_funds', `the account holds ${available}`, 'amount');
          }
          const issued = await issueWallet(trx, app.platform, { ...body, accountId });
          const at = clock.now();
          if (amount > 0) {
            await postTransaction(trx, {
              kind: 'activation.load',
              reference: `activation:${hex(issued.walletId)}`,
              entries: [
                { account: ledgerAccount('user', accountId), amount: -amount },
                { account: ledgerAccount('wallet', hex(issued.walletId)), amount },
              ],
              at,
            });
          }
          const detail = { accountId, serial: issued.serial, amount };
          await auditIssued(trx, attempt, issued.walletId, detail, at);
          return grantFor(trx, app.platform, issued);
        },
      );
      return reply.code(201).send(grant);
    },
  );
};
