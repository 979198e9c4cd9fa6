/**
 * Activation (S1; claims 4, 9, 24 steps A1-A3): a phone sends IMEI, IMSI, the user's
 * registration details and the public key it generated; the platform checks the user,
 * stores the binding, issues the wallet certificate and a first freshness token, and moves
 * the e-cash from the user's account to the wallet — all in one transaction.
 *
 * The route is necessarily public (no wallet exists yet to sign the request), so the
 * credential check is rate-limited per account and per address and every attempt audited.
 * E-cash loaded: `amount` when the phone asks for one, else the user's whole balance.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import { bindingDigest, importPublicKey, WalletCertificate } from '../../protocol';
import { Amount, hex, Imei, Imsi, Registration } from '../accounts/schemas';
import { audit } from '../audit';
import { conflict, forbidden, isPlatformError } from '../errors';
import { ErrorBody } from '../http/errors';
import { balanceOf, ledgerAccount, postTransaction } from '../ledger/post';
import { AttemptLimiter } from '../security/attempt-limiter';
import { issueFreshness } from '../sync/freshness';
import { verifyRegistration } from '../verification/registration';
import { walletPolicy } from './policy';

export const activationLimiter = new AttemptLimiter({
  name: 'activation',
  maxFailures: 5,
  windowSeconds: 900,
});

const ActivationBody = z.object({
  imei: Imei,
  imsi: Imsi,
  walletPublicKey: z.string().regex(/^0[23][0-9a-f]{64}$/, 'compressed P-256 key, hex'),
  registration: Registration,
  /** E-cash to load, minor units; default: the user's whole balance. */
  amount: Amount.optional(),
});

const Grant = z.object({
  walletId: z.string(),
  serial: z.number().int(),
  certificate: z.string().describe('signed WalletCertificate envelope, hex'),
  bindingSalt: z.string(),
  params: z.object({ T: z.number().int(), T1: z.number().int(), T2: z.number().int() }),
  issuerKeys: z.array(z.string()).describe('compressed P-256 keys that verify now, hex'),
  currency: z.number().int(),
  balance: z.number().int(),
  freshness: z.string().describe('signed FreshnessToken envelope, hex'),
  notificationSequence: z.number().int(),
});
export type Grant = z.infer<typeof Grant>;

const errors = { 400: ErrorBody, 403: ErrorBody, 409: ErrorBody, 429: ErrorBody };

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
      const { db, clock } = app.platform;
      const body = request.body;
      const { accountId } = body.registration;
      const scopes = { account: accountId, address: request.ip };
      const attempt = { actor: { kind: 'anonymous' as const }, remoteAddress: request.ip };
      const publicKey = Buffer.from(body.walletPublicKey, 'hex');
      importPublicKey(publicKey); // not a point on P-256 → 400 protocol_…

      await activationLimiter.assertAllowed(db, clock.now(), scopes);
      const check = await verifyRegistration(db, body.registration);
      if (!check.ok) {
        await activationLimiter.recordFailure(db, clock.now(), scopes);
        await audit(db, {
          ...attempt,
          action: 'wallet.activate',
          subject: `account:${accountId}`,
          outcome: 'denied',
          detail: { reason: check.reason },
          at: clock.now(),
        });
        throw forbidden('registration_mismatch', 'the registration details do not match');
      }
      await activationLimiter.clear(db, { account: accountId });

      const { keys } = app.platform;
      try {
        const grant = await db.transaction().execute(async (trx) => {
          const at = clock.now();
          // Serialises activations of one account (and the balance read below).
          await trx
            .selectFrom('accounts')
            .select('account_id')
            .where('account_id', '=', accountId)
            .forUpdate()
            .executeTakeFirstOrThrow();
          const live = await trx
            .selectFrom('wallets')
            .select('wallet_id')
            .where('account_id', '=', accountId)
            .where('status', 'in', ['active', 'locked'])
            .executeTakeFirst();
          if (live !== undefined) {
            throw conflict(
              'wallet_exists',
              'this account already has a wallet; re-activate instead',
            );
          }
          const taken = await trx
            .selectFrom('wallets')
            .select('wallet_id')
            .where('public_key', '=', publicKey)
            .executeTakeFirst();
          if (taken !== undefined) {
            throw conflict(
              'wallet_key_in_use',
              'this wallet key is certified already',
              'walletPublicKey',
            );
          }
          const available = await balanceOf(trx, ledgerAccount('user', accountId));
          const amount = body.amount ?? available;
          if (amount > available) {
            throw conflict('insufficient_funds', `the account holds ${available}`, 'amount');
          }

          const policy = walletPolicy;
          const walletId = randomBytes(16);
          const bindingSalt = randomBytes(16);
          const { rows } = await sql<{ serial: string }>`
            select nextval('certificate_serials') as serial`.execute(trx);
          const serial = Number(rows[0]?.serial);
          const issuer = await keys.activeIssuer();
          const certificate = WalletCertificate.sign(
            {
              serial,
              walletId,
              accountId,
              walletPublicKey: publicKey,
              bindingDigest: bindingDigest(body.imei, body.imsi, bindingSalt),
              issuerKeyId: issuer.keyId,
              // A terminal whose clock runs a little behind must still accept it.
              validFrom: Math.max(0, at - 300),
              validUntil: at + policy.certificateSeconds,
              currency: policy.currency,
              limitPerPayment: policy.limitPerPayment,
              limitOfflineAmount: policy.limitOfflineAmount,
              limitOfflineCount: policy.limitOfflineCount,
            },
            issuer.signingKey,
          );
          await trx
            .insertInto('wallets')
            .values({
              wallet_id: walletId,
              account_id: accountId,
              public_key: publicKey,
              binding_salt: bindingSalt,
              imei: body.imei,
              imsi: body.imsi,
              certificate: certificate.encoded,
              serial,
              currency: policy.currency,
              limit_per_payment: policy.limitPerPayment,
              limit_offline_amount: policy.limitOfflineAmount,
              limit_offline_count: policy.limitOfflineCount,
              created_at: at,
              revoked_at: null,
              revoke_reason: null,
            })
            .execute();
          if (amount > 0) {
            await postTransaction(trx, {
              kind: 'activation.load',
              reference: `activation:${hex(walletId)}`,
              entries: [
                { account: ledgerAccount('user', accountId), amount: -amount },
                { account: ledgerAccount('wallet', hex(walletId)), amount },
              ],
              at,
            });
          }
          const token = await issueFreshness({ keys, clock }, trx, walletId, 0, amount);
          await audit(trx, {
            ...attempt,
            action: 'wallet.activate',
            subject: `wallet:${hex(walletId)}`,
            outcome: 'ok',
            detail: { accountId, serial, amount },
            at,
          });
          const verifying = await keys.verifyingKeys();
          return {
            walletId: hex(walletId),
            serial,
            certificate: hex(certificate.encoded),
            bindingSalt: hex(bindingSalt),
            params: { T: policy.T, T1: policy.T1, T2: policy.T2 },
            issuerKeys: verifying.map((key) => hex(key.publicKey)),
            currency: policy.currency,
            balance: amount,
            freshness: hex(token.encoded),
            notificationSequence: 0,
          };
        });
        return await reply.code(201).send(grant);
      } catch (error) {
        if (isPlatformError(error) && error.statusCode === 409) {
          await audit(db, {
            ...attempt,
            action: 'wallet.activate',
            subject: `account:${accountId}`,
            outcome: 'denied',
            detail: { reason: error.code },
            at: clock.now(),
          });
        }
        throw error;
      }
    },
  );
};
