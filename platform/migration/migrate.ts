/**
 * Re-activation and migration (S6; claims 26-27, step B3'): the unspent e-cash of the old
 * wallet moves to the user's new wallet, minus a risk hold, and the old wallet is told to
 * erase itself (migrate_out).
 *
 * The risk hold: the old phone may have paid offline since its last sync, and those
 * records reach the platform only when the terminals settle. It can spend at most its
 * certificate's cumulative offline limit since that sync, so the hold is
 * min(old balance, limit_offline_amount), kept in hold:<oldWalletHex>. Settlement debits
 * late records of a migrated wallet from that hold; what is left goes to the new wallet
 * when the hold window closes (hold.ts).
 *
 * The hold window ends at migratedAt + T2 + the settlement period + the upload allowance:
 * the old phone's last freshness token is no younger than the migration (a revoked wallet
 * cannot sync), so after T2 no terminal accepts it, and a payment taken before then is
 * uploaded within one settlement period plus the allowance. (The certificate's validity
 * end, a year away, would hold the money far longer than any terminal could accept it.)
 */
import type { Transaction } from 'kysely';
import { DEFAULT_WALLET_POLICY, type WalletPolicy } from '../activation/policy';
import type { PlatformDatabase } from '../db/schema';
import { conflict, notFound } from '../errors';
import { balanceOf, ledgerAccount, postTransaction } from '../ledger/post';
import { revokeWallet } from '../lost/revoke';
import { queueNotification, type NoticeContext } from '../notifications/queue';
import { DEFAULT_TERMINAL_PARAMS } from '../terminals/params';
import './schema';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** Seconds from the migration until the hold may be released. */
export const holdWindowSeconds = (policy: WalletPolicy): number =>
  policy.T2 +
  DEFAULT_TERMINAL_PARAMS.settlement.periodSeconds +
  DEFAULT_TERMINAL_PARAMS.settlement.uploadWithinSeconds;

/** The hold window under the default wallet policy. */
export const HOLD_WINDOW_SECONDS = holdWindowSeconds(DEFAULT_WALLET_POLICY);

export interface MigrationResult {
  readonly oldWalletId: string;
  readonly newWalletId: string;
  readonly accountId: string;
  readonly moved: number;
  readonly held: number;
  readonly holdUntil: number;
  /** The new wallet's balance on the platform after the move. */
  readonly balance: number;
}

export interface MigrationInput {
  readonly oldWalletId: Uint8Array;
  readonly newWalletId: Uint8Array;
  /**
   * Re-activation issues the new wallet in the same transaction: the moved e-cash reaches
   * the phone in its grant (balance and freshness token), so no top-up notice (the handset
   * would add it twice). Default true: a wallet already on a phone hears of it by notice.
   */
  readonly topUpNotice?: boolean;
}

/**
 * Moves the old wallet's e-cash to the new one inside the caller's transaction; revokes
 * the old wallet (reason 'migrated') if it is still live. Both wallets must belong to one
 * account; a wallet migrates once.
 */
export async function migrateWallet(
  trx: Transaction<PlatformDatabase>,
  ctx: NoticeContext & { readonly walletPolicy: WalletPolicy },
  { oldWalletId, newWalletId, topUpNotice = true }: MigrationInput,
): Promise<MigrationResult> {
  if (hex(oldWalletId) === hex(newWalletId))
    throw conflict('same_wallet', 'a wallet cannot migrate to itself', 'newWalletId');
  const at = ctx.clock.now();
  const wallets = await trx
    .selectFrom('wallets')
    .select(['wallet_id', 'account_id', 'status', 'limit_offline_amount'])
    .where('wallet_id', 'in', [oldWalletId, newWalletId])
    .orderBy('wallet_id')
    .forUpdate()
    .execute();
  const old = wallets.find((w) => hex(w.wallet_id) === hex(oldWalletId));
  const next = wallets.find((w) => hex(w.wallet_id) === hex(newWalletId));
  if (old === undefined) throw notFound('unknown_wallet', 'no such old wallet', 'oldWalletId');
  if (next === undefined) throw notFound('unknown_wallet', 'no such new wallet', 'newWalletId');
  if (old.account_id !== next.account_id)
    throw conflict('other_account', 'the wallets belong to different accounts', 'oldWalletId');
  if (next.status !== 'active')
    throw conflict('new_wallet_not_active', `the new wallet is ${next.status}`, 'newWalletId');
  const done = await trx
    .selectFrom('wallet_migrations')
    .select('old_wallet_id')
    .where((eb) =>
      eb.or([eb('old_wallet_id', '=', oldWalletId), eb('new_wallet_id', '=', oldWalletId)]),
    )
    .executeTakeFirst();
  if (done !== undefined && hex(done.old_wallet_id) === hex(oldWalletId))
    throw conflict('already_migrated', 'this wallet has migrated already', 'oldWalletId');

  const oldAccount = ledgerAccount('wallet', hex(oldWalletId));
  const newAccount = ledgerAccount('wallet', hex(newWalletId));
  const holdAccount = ledgerAccount('hold', hex(oldWalletId));
  const balance = await balanceOf(trx, oldAccount);
  const held = Math.min(Math.max(balance, 0), old.limit_offline_amount);
  const moved = balance - held;
  const entries = [
    { account: oldAccount, amount: -balance },
    { account: newAccount, amount: moved },
    { account: holdAccount, amount: held },
  ].filter((e) => e.amount !== 0);
  if (entries.length >= 2) {
    await postTransaction(trx, {
      kind: 'migration.move',
      reference: `migration:${hex(oldWalletId)}`,
      entries,
      at,
    });
  }
  // Revoked after the move, so its migrate-out notice carries the balance it now has (0).
  const revocation = await revokeWallet(trx, ctx, { walletId: oldWalletId, reason: 'migrated' });
  if (!revocation.revoked) {
    // Already revoked (lost, double-spend): it still must erase itself when it next hears.
    await queueNotification(trx, ctx, { walletId: oldWalletId, type: 'migrate_out', balance: 0 });
  }
  const newBalance = await balanceOf(trx, newAccount);
  if (moved > 0 && topUpNotice) {
    // The handset adds `amount`: the moved e-cash reaches the new phone at its next sync.
    await queueNotification(trx, ctx, {
      walletId: newWalletId,
      type: 'top_up',
      amount: moved,
      balance: newBalance,
    });
  }
  const holdUntil = at + holdWindowSeconds(ctx.walletPolicy);
  await trx
    .insertInto('wallet_migrations')
    .values({
      old_wallet_id: oldWalletId,
      new_wallet_id: newWalletId,
      account_id: old.account_id,
      moved,
      held,
      migrated_at: at,
      hold_until: holdUntil,
      released_at: null,
      released: null,
    })
    .execute();
  return {
    oldWalletId: hex(oldWalletId),
    newWalletId: hex(newWalletId),
    accountId: old.account_id,
    moved,
    held,
    holdUntil,
    balance: newBalance,
  };
}
