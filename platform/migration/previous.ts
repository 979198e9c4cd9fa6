/**
 * The wallet a re-activation replaces: the account's latest revoked wallet whose e-cash
 * has not migrated yet. Activation refuses to start afresh while a lost or stolen one is
 * left (its e-cash would strand), and re-activation moves it.
 */
import type { Transaction } from 'kysely';
import type { RevocationReason } from '../../protocol';
import type { PlatformDatabase } from '../db/schema';
import './schema';

export interface PreviousWallet {
  readonly walletId: Uint8Array;
  readonly reason: RevocationReason | null;
}

/** Reads inside the caller's transaction; `walletId` narrows to that wallet of the account. */
export async function previousWallet(
  trx: Transaction<PlatformDatabase>,
  accountId: string,
  walletId?: Uint8Array,
): Promise<PreviousWallet | undefined> {
  let query = trx
    .selectFrom('wallets as w')
    .leftJoin('wallet_migrations as m', 'm.old_wallet_id', 'w.wallet_id')
    .select(['w.wallet_id', 'w.revoke_reason'])
    .where('w.account_id', '=', accountId)
    .where('w.status', 'in', ['revoked', 'migrated'])
    .where('m.old_wallet_id', 'is', null);
  if (walletId !== undefined) query = query.where('w.wallet_id', '=', walletId);
  const row = await query
    .orderBy('w.revoked_at', 'desc')
    .orderBy('w.created_at', 'desc')
    .executeTakeFirst();
  return row === undefined ? undefined : { walletId: row.wallet_id, reason: row.revoke_reason };
}

/** Revocations whose e-cash the user moves by re-activating; others need an operator. */
export const REACTIVATABLE: readonly RevocationReason[] = ['lost', 'stolen'];
