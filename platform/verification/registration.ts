/**
 * The user verification unit's core check (用户验证单元, claim 10): do these registration
 * details (account id, password, and the ID number when one is on file) belong to a live
 * account? Shared by activation (S1), unlock (S7-S9) and re-activation / migration (S6).
 *
 * It only answers; callers decide what to tell the user (one code for every mismatch, so a
 * guesser cannot tell a wrong account from a wrong password), count failures with their
 * AttemptLimiter and audit. An unknown account still costs one scrypt, so timing does not
 * reveal which accounts exist.
 */
import type { Kysely } from 'kysely';
import { hashPassword, verifyPassword } from '../../protocol';
import type { Account, PlatformDatabase } from '../db/schema';

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
