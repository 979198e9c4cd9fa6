/**
 * Issuing a wallet: the part of activation (S1) that re-activation (S6, platform/migration)
 * repeats for the new phone. Both routes run inside `issueToVerifiedUser`: it re-verifies
 * the user (one rate limit: a guesser gains nothing by alternating routes), locks the
 * account in one transaction and audits refusals; inside it each route stores the binding
 * and certificate (`issueWallet`), puts e-cash on the wallet its own way, audits the issue
 * (`auditIssued`) and answers with `grantFor` (freshness token over the wallet's ledger
 * balance, issuer keys, policy).
 */
import { randomBytes } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import { z } from 'zod';
import { bindingDigest, importPublicKey, WalletCertificate } from '../../protocol';
import { hex, Imei, Imsi, Registration } from '../accounts/schemas';
import { audit, type AuditActor } from '../audit';
import type { Clock } from '../clock';
import type { PlatformDatabase } from '../db/schema';
import { conflict, isPlatformError } from '../errors';
import type { IssuerKeys } from '../keys/issuer-keys';
import { AttemptLimiter } from '../security/attempt-limiter';
import { issueFreshness } from '../sync/freshness';
import { holdSuspensionsSteady, queueSuspensionsForNewWallet } from '../terminals/suspension';
import { registrationRefusal, verifyRegistration } from '../verification/registration';
import type { WalletPolicy } from './policy';

/** Shared by activation and re-activation: failures on either count against both. */
export const activationLimiter = new AttemptLimiter({
  name: 'activation',
  maxFailures: 5,
  windowSeconds: 900,
});

export const WalletPublicKeyHex = z
  .string()
  .regex(/^0[23][0-9a-f]{64}$/, 'compressed P-256 key, hex');

/** What a phone sends to get a wallet: its identity, its new key, the user's details. */
export const NewPhone = z.object({
  imei: Imei,
  imsi: Imsi,
  walletPublicKey: WalletPublicKeyHex,
  registration: Registration,
});
export type NewPhone = z.infer<typeof NewPhone>;

export const Grant = z.object({
  walletId: z.string(),
  serial: z.number().int(),
  certificate: z
    .string()
    .describe(
      'signed WalletCertificate envelope, hex; terminals read it, so it names the wallet id ' +
        'and no account (terminals learn no account identity)',
    ),
  bindingSalt: z.string(),
  params: z.object({ T: z.number().int(), T1: z.number().int(), T2: z.number().int() }),
  issuerKeys: z.array(z.string()).describe('compressed P-256 keys that verify now, hex'),
  currency: z.number().int(),
  balance: z.number().int(),
  freshness: z.string().describe('signed FreshnessToken envelope, hex'),
  notificationSequence: z.number().int(),
});
export type Grant = z.infer<typeof Grant>;

export interface IssuingContext {
  readonly keys: IssuerKeys;
  readonly clock: Clock;
  readonly walletPolicy: WalletPolicy;
}

/** Who is asking, for the audit rows of an unauthenticated issuing route. */
export interface IssuingAttempt {
  readonly actor: AuditActor;
  readonly remoteAddress: string;
  /** 'wallet.activate' or 'wallet.reactivate'. */
  readonly action: string;
}

/** The caller of an issuing route: anonymous (the phone has no key on file yet). */
export function anonymousAttempt(
  remoteAddress: string,
  action: 'wallet.activate' | 'wallet.reactivate',
): IssuingAttempt {
  return { actor: { kind: 'anonymous' }, remoteAddress, action };
}

/**
 * The rate-limited credential check of both issuing routes: 429 while the account or the
 * address is over its failures, 403 registration_mismatch naming the detail at fault
 * (audited with the reason, never the details) when wrong; a missing ID number counts too. Runs before any transaction: scrypt is slow.
 */
export async function reverifyUser(
  db: Kysely<PlatformDatabase>,
  clock: Clock,
  phone: NewPhone,
  attempt: IssuingAttempt,
): Promise<void> {
  // A key off the curve is a 400 (ProtocolError) before any credential is looked at.
  importPublicKey(Buffer.from(phone.walletPublicKey, 'hex'));
  const { registration } = phone;
  const { accountId } = registration;
  const scopes = { account: accountId, address: attempt.remoteAddress };
  await activationLimiter.assertAllowed(db, clock.now(), scopes);
  const check = await verifyRegistration(db, registration);
  if (!check.ok) {
    await activationLimiter.recordFailure(db, clock.now(), scopes);
    await auditRefusal(db, clock, attempt, accountId, check.reason);
    throw registrationRefusal(check.reason);
  }
  await activationLimiter.clear(db, { account: accountId });
}

async function auditRefusal(
  db: Kysely<PlatformDatabase>,
  clock: Clock,
  attempt: IssuingAttempt,
  accountId: string,
  reason: string,
): Promise<void> {
  await audit(db, {
    actor: attempt.actor,
    action: attempt.action,
    subject: `account:${accountId}`,
    outcome: 'denied',
    remoteAddress: attempt.remoteAddress,
    detail: { reason },
    at: clock.now(),
  });
}

/**
 * Serialises everything that issues wallets for one account (and reads its balances), then
 * refuses with 409 `whenLive` if the account still has a live (active or locked) wallet.
 */
async function lockAccount(
  trx: Transaction<PlatformDatabase>,
  accountId: string,
  whenLive: { readonly code: string; readonly message: string },
): Promise<void> {
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
  if (live !== undefined) throw conflict(whenLive.code, whenLive.message);
}

/**
 * The frame of both issuing routes: re-verify the user (before any transaction: scrypt is
 * slow), then ONE transaction that locks the account, refusing with 409 `whenLive` while
 * it has a live wallet, and runs `issue`. A 404 or 409 on the way is audited against the
 * account before it reaches the caller.
 */
export async function issueToVerifiedUser<T>(
  { db, clock }: { readonly db: Kysely<PlatformDatabase>; readonly clock: Clock },
  request: {
    readonly phone: NewPhone;
    readonly attempt: IssuingAttempt;
    readonly whenLive: { readonly code: string; readonly message: string };
  },
  issue: (trx: Transaction<PlatformDatabase>) => Promise<T>,
): Promise<T> {
  const { phone, attempt, whenLive } = request;
  const { accountId } = phone.registration;
  await reverifyUser(db, clock, phone, attempt);
  try {
    return await db.transaction().execute(async (trx) => {
      await lockAccount(trx, accountId, whenLive);
      return issue(trx);
    });
  } catch (error) {
    if (isPlatformError(error) && (error.statusCode === 404 || error.statusCode === 409)) {
      await auditRefusal(db, clock, attempt, accountId, error.code);
    }
    throw error;
  }
}

/** The audit row of a wallet issued to `attempt`, in the issuing transaction. */
export async function auditIssued(
  trx: Transaction<PlatformDatabase>,
  attempt: IssuingAttempt,
  walletId: Uint8Array,
  detail: Readonly<Record<string, unknown>>,
  at: number,
): Promise<void> {
  await audit(trx, {
    actor: attempt.actor,
    action: attempt.action,
    subject: `wallet:${hex(walletId)}`,
    outcome: 'ok',
    remoteAddress: attempt.remoteAddress,
    detail,
    at,
  });
}

export interface IssuedWallet {
  readonly walletId: Buffer;
  readonly accountId: string;
  readonly serial: number;
  readonly certificate: Uint8Array;
  readonly bindingSalt: Buffer;
}

/**
 * Stores the binding (IMEI, IMSI, salt) and signs the wallet certificate, inside the
 * caller's transaction (account locked). 409 wallet_key_in_use when the key is certified
 * already. The wallet holds no e-cash yet: the caller moves it in, then calls grantFor.
 */
export async function issueWallet(
  trx: Transaction<PlatformDatabase>,
  { keys, clock, walletPolicy }: IssuingContext,
  phone: Omit<NewPhone, 'registration'> & { readonly accountId: string },
): Promise<IssuedWallet> {
  const at = clock.now();
  // Before any wallet row is locked: a terminal suspension waits for this issue, or this
  // issue sees it (terminals/suspension.ts).
  await holdSuspensionsSteady(trx);
  const publicKey = Buffer.from(phone.walletPublicKey, 'hex');
  const taken = await trx
    .selectFrom('wallets')
    .select('wallet_id')
    .where('public_key', '=', publicKey)
    .executeTakeFirst();
  if (taken !== undefined) {
    throw conflict('wallet_key_in_use', 'this wallet key is certified already', 'walletPublicKey');
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
      walletPublicKey: publicKey,
      bindingDigest: bindingDigest(phone.imei, phone.imsi, bindingSalt),
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
      account_id: phone.accountId,
      public_key: publicKey,
      binding_salt: bindingSalt,
      imei: phone.imei,
      imsi: phone.imsi,
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
  return {
    walletId,
    accountId: phone.accountId,
    serial,
    certificate: certificate.encoded,
    bindingSalt,
  };
}

/**
 * The answer the phone installs: its first freshness token over the wallet's ledger
 * balance now (what the caller moved in), the issuer keys and the policy.
 */
export async function grantFor(
  trx: Transaction<PlatformDatabase>,
  ctx: IssuingContext,
  issued: IssuedWallet,
): Promise<Grant> {
  const policy = ctx.walletPolicy;
  const token = await issueFreshness(ctx, trx, issued.walletId, 0);
  // 0 unless the caller queued notices for the new wallet (the phone skips those numbers).
  const { notification_seq: sequence } = await trx
    .selectFrom('wallets')
    .select('notification_seq')
    .where('wallet_id', '=', issued.walletId)
    .executeTakeFirstOrThrow();
  // After the sequence above, so the phone applies them: terminal certificates suspended
  // before this wallet existed and still valid, delivered at its first sync.
  await queueSuspensionsForNewWallet(trx, ctx, {
    walletId: issued.walletId,
    balance: token.balance,
  });
  const verifying = await ctx.keys.verifyingKeys();
  return {
    walletId: hex(issued.walletId),
    serial: issued.serial,
    certificate: hex(issued.certificate),
    bindingSalt: hex(issued.bindingSalt),
    params: { T: policy.T, T1: policy.T1, T2: policy.T2 },
    issuerKeys: verifying.map((key) => hex(key.publicKey)),
    currency: policy.currency,
    balance: token.balance,
    freshness: hex(token.encoded),
    notificationSequence: sequence,
  };
}
