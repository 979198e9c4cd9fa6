/**
 * What a wallet is owed when it comes online: a fresh freshness token, the notices it has
 * not applied and the issuer-key announcements. Shared by sync, unlock and the WebSocket
 * push (which sends notices only).
 */
import type { Kysely } from 'kysely';
import type { PlatformContext } from '../context';
import type { PlatformDatabase } from '../db/schema';
import { balanceOf, ledgerAccount } from '../ledger/post';
import { issueDueBalanceNotice } from '../notifications/surface';
import { issueFreshness, settledCounter } from './freshness';

/** Wallet statuses that still hear from the platform: a revoked phone must get its wipe. */
export const REACHABLE_STATUSES = ['active', 'locked', 'revoked', 'migrated'] as const;

export interface Pending {
  readonly sequence: number;
  readonly envelope: Uint8Array;
}

/** Notices after `afterSequence`, oldest first, with their sequence numbers. */
export async function noticesAfter(
  db: Kysely<PlatformDatabase>,
  walletId: Uint8Array,
  afterSequence: number,
): Promise<Pending[]> {
  return db
    .selectFrom('notifications')
    .select(['sequence', 'envelope'])
    .where('wallet_id', '=', walletId)
    .where('sequence', '>', afterSequence)
    .orderBy('sequence')
    .execute();
}

/** The phone says it applied every notice up to `sequence`. */
export async function acknowledge(
  db: Kysely<PlatformDatabase>,
  walletId: Uint8Array,
  sequence: number,
  at: number,
): Promise<number> {
  const result = await db
    .updateTable('notifications')
    .set({ acknowledged_at: at })
    .where('wallet_id', '=', walletId)
    .where('sequence', '<=', sequence)
    .where('acknowledged_at', 'is', null)
    .where('created_at', '<=', at)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Highest sequence the phone acknowledged (0 if none): where an unlock answer starts. */
export async function lastAcknowledged(
  db: Kysely<PlatformDatabase>,
  walletId: Uint8Array,
): Promise<number> {
  const row = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.max('sequence').as('sequence'))
    .where('wallet_id', '=', walletId)
    .where('acknowledged_at', 'is not', null)
    .executeTakeFirst();
  return Number(row?.sequence ?? 0);
}

export interface SyncAnswer {
  freshness?: string;
  notifications: string[];
  /** IssuerKeyAnnouncement envelopes, hex: one per issuer key that verifies now. */
  issuerKeys: string[];
  balance: number;
  syncTime: number;
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/**
 * A token (only for an active wallet that reported its counter), the pending notices and
 * the key announcements (signed once per key-ring state by the ring). `db` may be a
 * transaction.
 */
export async function syncAnswer(
  platform: Pick<PlatformContext, 'keys' | 'clock'>,
  db: Kysely<PlatformDatabase>,
  wallet: { walletId: Uint8Array; status: string },
  reportedCounter: number | undefined,
  afterSequence: number,
): Promise<SyncAnswer> {
  await issueDueBalanceNotice(db, platform, wallet.walletId);
  const notices = await noticesAfter(db, wallet.walletId, afterSequence);
  const answer: SyncAnswer = {
    notifications: notices.map((n) => hex(n.envelope)),
    issuerKeys: (await platform.keys.announcements()).map(hex),
    balance: 0,
    syncTime: platform.clock.now(),
  };
  if (wallet.status === 'active' && reportedCounter !== undefined) {
    const counter = await settledCounter(db, wallet.walletId, reportedCounter);
    const token = await issueFreshness(platform, db, wallet.walletId, counter);
    answer.freshness = hex(token.encoded);
    answer.balance = token.balance;
  } else {
    answer.balance = await balanceOf(db, ledgerAccount('wallet', hex(wallet.walletId)));
  }
  return answer;
}
