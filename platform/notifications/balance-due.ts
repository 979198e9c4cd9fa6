/**
 * Balance confirmations are signed when the phone can receive them, not when a batch
 * settles. A settled payment gives the phone nothing to apply (it debited itself when it
 * paid); it only has to learn the platform's balance (S10). Signing one notice per wallet
 * per batch costs about as much as verifying the batch's records (one ECDSA signature per
 * wallet), and a phone offline for a week would collect one per batch. So settlement only
 * marks the wallet (one narrow row, no signature) and the wallet's next sync or push signs
 * ONE balance_update with the balance at that moment. Money the phone must add (refunds,
 * hold releases, top-ups) is still queued at once, with its amount (queue.ts).
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { PlatformDatabase } from '../db/schema';
import { balanceOf, ledgerAccount } from '../ledger/post';
import { queueNotification, type NoticeContext } from './queue';

/** Inside the settling transaction: these wallets' balances changed. */
export async function markBalanceChanged(
  trx: Transaction<PlatformDatabase>,
  walletIds: readonly Uint8Array[],
  at: number,
): Promise<void> {
  if (walletIds.length === 0) return;
  await sql`insert into balance_notices_due (wallet_id, since)
    select wallet_id, ${at}::bigint from unnest(${walletIds}::bytea[]) as due (wallet_id)
    on conflict (wallet_id) do nothing`.execute(trx);
}

/**
 * Before answering a wallet's pull or push: if its balance changed since its last
 * confirmation, queue the confirmation now. `db` may be the caller's transaction.
 */
export async function issueDueBalanceNotice(
  db: Kysely<PlatformDatabase>,
  ctx: NoticeContext,
  walletId: Uint8Array,
): Promise<void> {
  if (!db.isTransaction) {
    // Sockets ask every few seconds: most of the time nothing is due and no transaction
    // is needed to say so.
    const due = await db
      .selectFrom('balance_notices_due')
      .select('wallet_id')
      .where('wallet_id', '=', walletId)
      .executeTakeFirst();
    if (due === undefined) return;
  }
  const issue = async (trx: Transaction<PlatformDatabase>): Promise<void> => {
    // The delete claims the mark: of two syncs at once, one signs.
    const due = await trx
      .deleteFrom('balance_notices_due')
      .where('wallet_id', '=', walletId)
      .returning('wallet_id')
      .executeTakeFirst();
    if (due === undefined) return;
    const balance = await balanceOf(
      trx,
      ledgerAccount('wallet', Buffer.from(walletId).toString('hex')),
    );
    await queueNotification(trx, ctx, {
      walletId,
      type: 'balance_update',
      amount: 0,
      balance: Math.max(0, balance),
    });
  };
  if (db.isTransaction) await issue(db as Transaction<PlatformDatabase>);
  else await db.transaction().execute(issue);
}
