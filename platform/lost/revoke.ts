/**
 * Revoking a wallet (无效登记单元, claim 11; S5 steps B1'-B2'): the binding is registered
 * invalid, the wallet goes on the hotlist, and the phone is told to stop paying — directly
 * when it next syncs, or through any terminal it taps (the hotlist carries the notices).
 *
 * One function for every reason, called inside the caller's transaction so that the status
 * change, the hotlist entry and the notices commit together: the lost report (this unit),
 * the double-spend flag (settlement) and migration (platform/migration).
 */
import type { Transaction } from 'kysely';
import type { NotificationType, RevocationReason } from '../../protocol';
import { toSafeNumber } from '../db/bigint';
import type { PlatformDatabase, WalletStatus } from '../db/schema';
import { notFound } from '../errors';
import { balanceOf, ledgerAccount } from '../ledger/post';
import { queueNotification, type NoticeContext } from '../notifications/queue';
import { certificateValidUntil } from './prune';
import './schema';

/**
 * What each reason tells the phone. A lost or stolen phone is locked and then wiped (its
 * e-cash stays on the platform ledger, so wiping loses the user nothing). A double-spend
 * only disables: the holder may be innocent (a clone) and keeps the data for inquiry.
 * A migrated wallet erases itself (claim 27).
 */
export const NOTICES_FOR: Readonly<Record<RevocationReason, readonly NotificationType[]>> = {
  lost: ['lock', 'wipe'],
  stolen: ['lock', 'wipe'],
  closed: ['lock', 'wipe'],
  double_spend: ['disable'],
  migrated: ['migrate_out'],
};

export interface RevokeInput {
  readonly walletId: Uint8Array;
  readonly reason: RevocationReason;
}

export interface RevokeResult {
  /** False when the wallet was already revoked: nothing was changed or queued. */
  readonly revoked: boolean;
  readonly status: WalletStatus;
  readonly reason: RevocationReason;
  readonly hotlistVersion: number;
  readonly notices: readonly { readonly type: NotificationType; readonly sequence: number }[];
}

const LIVE: readonly WalletStatus[] = ['active', 'locked'];

/**
 * Revokes the wallet once; a second call (any reason) reports the first revocation. After the
 * commit, `announceNotices(platform, walletIdHex)` pushes the notices to a connected phone.
 */
export async function revokeWallet(
  trx: Transaction<PlatformDatabase>,
  ctx: NoticeContext,
  { walletId, reason }: RevokeInput,
): Promise<RevokeResult> {
  // The row lock serialises concurrent revocations of one wallet (a lost report racing a
  // double-spend flag): the second sees the first's result.
  const wallet = await trx
    .selectFrom('wallets')
    .select(['status', 'revoke_reason', 'certificate'])
    .where('wallet_id', '=', walletId)
    .forUpdate()
    .executeTakeFirst();
  if (wallet === undefined) throw notFound('unknown_wallet', 'no such wallet', 'walletId');
  if (!LIVE.includes(wallet.status)) {
    const entry = await trx
      .selectFrom('hotlist_entries')
      .select('version')
      .where('wallet_id', '=', walletId)
      .executeTakeFirst();
    return {
      revoked: false,
      status: wallet.status,
      reason: wallet.revoke_reason ?? reason,
      hotlistVersion: entry === undefined ? 0 : toSafeNumber(entry.version, 'hotlist version'),
      notices: [],
    };
  }
  const at = ctx.clock.now();
  const status: WalletStatus = reason === 'migrated' ? 'migrated' : 'revoked';
  await trx
    .updateTable('wallets')
    .set({ status, revoked_at: at, revoke_reason: reason })
    .where('wallet_id', '=', walletId)
    .execute();
  const { version } = await trx
    .updateTable('hotlist_state')
    .set((eb) => ({ version: eb('version', '+', 1) }))
    .where('singleton', '=', true)
    .returning('version')
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('hotlist_entries')
    .values({
      version,
      wallet_id: walletId,
      reason,
      revoked_at: at,
      // When it may leave the list again (prune.ts): terminals refuse an expired certificate.
      certificate_valid_until: certificateValidUntil(wallet.certificate),
    })
    .execute();
  const balance = await balanceOf(
    trx,
    ledgerAccount('wallet', Buffer.from(walletId).toString('hex')),
  );
  const notices = [];
  for (const type of NOTICES_FOR[reason]) {
    const signed = await queueNotification(trx, ctx, { walletId, type, balance });
    notices.push({ type, sequence: signed.value.sequence });
  }
  return { revoked: true, status, reason, hotlistVersion: version, notices };
}
