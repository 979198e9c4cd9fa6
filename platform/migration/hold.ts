/**
 * Releasing a migration's risk hold (migrate.ts explains the window): what is left of
 * hold:<oldWalletHex> after late settlements goes to the new wallet, once, with a
 * balance_update notice whose `amount` the handset adds. Settlement may call releaseHold
 * after it has taken in the terminals' batches; the server's periodic job, the operator
 * routes and the CLI come through release.ts (audit, announce after commit).
 */
import type { Kysely, Transaction } from 'kysely';
import type { PlatformDatabase } from '../db/schema';
import { conflict, notFound, PlatformError } from '../errors';
import { balanceOf, ledgerAccount, postTransaction } from '../ledger/post';
import { queueNotification, type NoticeContext } from '../notifications/queue';
import './schema';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

export interface ReleaseResult {
  readonly oldWalletId: string;
  readonly newWalletId: string;
  readonly released: number;
  /** The new wallet's balance on the platform after the release. */
  readonly balance: number;
  readonly notificationSequence: number | null;
}

/**
 * Releases one hold inside the caller's transaction.
 * Refused while the window is open (409 hold_window_open) and after a release
 * (409 hold_already_released).
 */
export async function releaseHold(
  trx: Transaction<PlatformDatabase>,
  ctx: NoticeContext,
  oldWalletId: Uint8Array,
): Promise<ReleaseResult> {
  const at = ctx.clock.now();
  const row = await trx
    .selectFrom('wallet_migrations')
    .selectAll()
    .where('old_wallet_id', '=', oldWalletId)
    .forUpdate()
    .executeTakeFirst();
  if (row === undefined)
    throw notFound('unknown_migration', 'this wallet has not migrated', 'walletId');
  if (row.released_at !== null)
    throw conflict('hold_already_released', 'the hold was released already', 'walletId');
  if (at < row.hold_until) {
    throw new PlatformError(
      409,
      'hold_window_open',
      `the hold can be released from ${row.hold_until}`,
      'walletId',
    );
  }
  const holdAccount = ledgerAccount('hold', hex(oldWalletId));
  const oldAccount = ledgerAccount('wallet', hex(oldWalletId));
  const newAccount = ledgerAccount('wallet', hex(row.new_wallet_id));
  // Late settlements of the old phone's records were debited meanwhile, either from the
  // hold or from the old wallet (which then ran negative): both are settled here, so the
  // release is right whichever account settlement chose.
  const held = await balanceOf(trx, holdAccount);
  const oldBalance = await balanceOf(trx, oldAccount);
  const released = Math.max(held + oldBalance, 0);
  const entries = [
    { account: holdAccount, amount: -held },
    { account: oldAccount, amount: -oldBalance },
    { account: newAccount, amount: released },
    // Spent beyond the hold (only possible beyond the certificate's limits): the platform's loss.
    {
      account: ledgerAccount('platform', 'migration_loss'),
      amount: Math.min(held + oldBalance, 0),
    },
  ].filter((e) => e.amount !== 0);
  if (entries.length >= 2) {
    await postTransaction(trx, {
      kind: 'migration.release',
      reference: `migration.release:${hex(oldWalletId)}`,
      entries,
      at,
    });
  }
  await trx
    .updateTable('wallet_migrations')
    .set({ released_at: at, released })
    .where('old_wallet_id', '=', oldWalletId)
    .execute();
  const balance = await balanceOf(trx, newAccount);
  let notificationSequence: number | null = null;
  if (released > 0) {
    const notice = await queueNotification(trx, ctx, {
      walletId: row.new_wallet_id,
      type: 'balance_update',
      amount: released,
      balance,
    });
    notificationSequence = notice.value.sequence;
  }
  return {
    oldWalletId: hex(oldWalletId),
    newWalletId: hex(row.new_wallet_id),
    released,
    balance,
    notificationSequence,
  };
}

/** Old wallet ids whose hold window has closed and whose hold is not yet released. */
export async function dueHolds(db: Kysely<PlatformDatabase>, now: number): Promise<Uint8Array[]> {
  const rows = await db
    .selectFrom('wallet_migrations')
    .select('old_wallet_id')
    .where('released_at', 'is', null)
    .where('hold_until', '<=', now)
    .orderBy('hold_until')
    .execute();
  return rows.map((r) => r.old_wallet_id);
}
