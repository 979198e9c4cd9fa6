/**
 * The user verification unit's core check (用户验证单元, claim 10): do these registration
 * details (account id, password, and the ID number when one is on file) belong to a live
 * account? Shared by activation (S1), unlock (S7-S9) and re-activation / migration (S6).
 *
 * It only answers; callers count failures with their AttemptLimiter, audit, and refuse with
 * `registrationRefusal`: one code, `registration_mismatch`, whose `field` and message say
 * which detail did not match — except that a wrong account and a wrong password read the
 * same, so a guesser cannot learn which accounts exist. The ID number is looked at only
 * once the password is right, so naming it tells a guesser nothing; a stored value is
 * never part of an answer. An unknown account still costs one scrypt, so timing does not
 * reveal which accounts exist either.
 */
import type { Kysely } from 'kysely';
import { hashPassword, verifyPassword } from '../../protocol';
import type { Account, PlatformDatabase } from '../db/schema';
import { PlatformError } from '../errors';

export interface RegistrationDetails {
  readonly accountId: string;
  readonly password: string;
  readonly idNumber?: string | undefined;
}

export type RegistrationMismatch =
  | 'unknown_account'
  | 'wrong_password'
  | 'id_number_required' // the account has an ID number on file and none was given
  | 'wrong_id_number'
  | 'account_disabled';

export type RegistrationCheck =
  | { readonly ok: true; readonly account: Account }
  | { readonly ok: false; readonly reason: RegistrationMismatch };

/** Why a verified user may still not use a wallet: another account's (unlock). */
export type WalletAccountMismatch = 'account_mismatch';

const REFUSALS: Record<
  RegistrationMismatch | WalletAccountMismatch,
  { field: string; message: string }
> = {
  unknown_account: {
    field: 'registration',
    message: 'the account id and password do not match a registered user',
  },
  wrong_password: {
    field: 'registration',
    message: 'the account id and password do not match a registered user',
  },
  id_number_required: {
    field: 'registration.idNumber',
    message: 'the ID number is missing: the registration has one on file, send it',
  },
  wrong_id_number: {
    field: 'registration.idNumber',
    message: 'the ID number does not match the registration',
  },
  account_disabled: { field: 'registration.accountId', message: 'the account is disabled' },
  account_mismatch: {
    field: 'registration.accountId',
    message: 'the account is not the one this wallet was activated for',
  },
};

/**
 * 403 `registration_mismatch` naming the detail that did not match (see the module note).
 * Every one counts as a failed credential check, a missing ID number included.
 */
export function registrationRefusal(
  reason: RegistrationMismatch | WalletAccountMismatch,
): PlatformError {
  const { field, message } = REFUSALS[reason];
  return new PlatformError(403, 'registration_mismatch', message, field);
}

let decoy: Promise<string> | undefined;

/** Reads with `db` (pass the transaction when inside one); writes nothing. */
export async function verifyRegistration(
  db: Kysely<PlatformDatabase>,
  details: RegistrationDetails,
): Promise<RegistrationCheck> {
  const account = await db
    .selectFrom('accounts')
    .selectAll()
    .where('account_id', '=', details.accountId)
    .executeTakeFirst();
  if (account === undefined) {
    decoy ??= hashPassword('tapsafe decoy password');
    await verifyPassword(details.password, await decoy);
    return { ok: false, reason: 'unknown_account' };
  }
  if (!(await verifyPassword(details.password, account.password_hash))) {
    return { ok: false, reason: 'wrong_password' };
  }
  if (account.id_number_hash !== null) {
    if (details.idNumber === undefined) return { ok: false, reason: 'id_number_required' };
    if (!(await verifyPassword(details.idNumber, account.id_number_hash))) {
      return { ok: false, reason: 'wrong_id_number' };
    }
  }
  if (account.disabled) return { ok: false, reason: 'account_disabled' };
  return { ok: true, account };
}
