/**
 * Telling phones a terminal is suspended: every certificate of it still valid is named in a
 * suspend_terminal notice (its serial) to every wallet the platform can still reach, in the
 * suspension's transaction, and marked suspended for good. Phones then refuse the
 * certificate at PRESENT (9F13). The certificate cannot be renewed while the terminal is
 * suspended (403 terminal_suspended); a resumed terminal renews and gets a new serial.
 *
 * A wallet issued later still meets the suspended certificates until they expire, so
 * issuing a wallet (activation/issue.ts) queues one notice per suspended certificate still
 * valid, after the sequence the grant reports: the phone gets them at its first sync.
 *
 * Suspending and issuing exclude each other through one advisory lock (exclusive for a
 * suspension, shared for issuing, so issues do not wait on each other): without it a wallet
 * committed while a suspension runs could be missed by both. Issuing takes it before it
 * locks any existing wallet row, so the two cannot deadlock on wallet rows.
 */
import { sql, type Transaction } from 'kysely';
import { queueNotification, queueNotifications } from '../notifications/surface';
import type { NoticeContext } from '../notifications/queue';
import type { PlatformDatabase } from '../db/schema';
import { REACHABLE_STATUSES } from '../sync/deliver';
import './schema';

/** Wallets per statement when notifying: bounds each statement whatever the wallet count. */
export const SUSPENSION_NOTICE_BATCH = 500;
/** The advisory lock's key: an arbitrary constant ('TSSP'), used for nothing else. */
const SUSPENSIONS_LOCK = sql.lit(0x5453_5350);

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** Issuing a wallet: call before the transaction locks any existing wallet row. */
export async function holdSuspensionsSteady(trx: Transaction<PlatformDatabase>): Promise<void> {
  await sql`select pg_advisory_xact_lock_shared(${SUSPENSIONS_LOCK})`.execute(trx);
}

/** Wallet balances (ledger), for the `balance` every notice carries. */
async function balancesOf(
  trx: Transaction<PlatformDatabase>,
  walletIds: readonly Uint8Array[],
): Promise<Map<string, number>> {
  const rows = await trx
    .selectFrom('ledger_balances')
    .select(['account', 'balance'])
    .where(
      'account',
      'in',
      walletIds.map((id) => `wallet:${hex(id)}`),
    )
    .execute();
  return new Map(rows.map((row) => [row.account.slice('wallet:'.length), Number(row.balance)]));
}

export interface SuspensionNotices {
  /** The certificates named (now suspended). */
  readonly serials: readonly number[];
  /** Wallets notified, lower-case hex: announce to them after commit. */
  readonly walletIds: readonly string[];
}

/**
 * In the suspension's transaction (terminal row locked): marks the terminal's valid
 * certificates suspended and queues one notice per certificate to each reachable wallet,
 * batch by batch in wallet id order (the order settlement locks wallets in).
 */
export async function queueSuspensionNotices(
  trx: Transaction<PlatformDatabase>,
  context: NoticeContext,
  terminalId: string,
  batchSize = SUSPENSION_NOTICE_BATCH,
): Promise<SuspensionNotices> {
  await sql`select pg_advisory_xact_lock(${SUSPENSIONS_LOCK})`.execute(trx);
  const now = context.clock.now();
  const suspended = await trx
    .updateTable('terminal_certificates')
    .set({ suspended_at: now })
    .where('terminal_id', '=', terminalId)
    .where('valid_until', '>', now)
    .where('suspended_at', 'is', null)
    .returning('serial')
    .execute();
  const serials = suspended.map((row) => row.serial).sort((a, b) => a - b);
  const walletIds: string[] = [];
  let after: Uint8Array | undefined;
  while (serials.length > 0) {
    let query = trx
      .selectFrom('wallets')
      .select('wallet_id')
      .where('status', 'in', REACHABLE_STATUSES)
      .orderBy('wallet_id')
      .limit(batchSize);
    if (after !== undefined) query = query.where('wallet_id', '>', after);
    const batch = (await query.execute()).map((row) => row.wallet_id);
    if (batch.length === 0) break;
    const balances = await balancesOf(trx, batch);
    for (const serial of serials) {
      await queueNotifications(
        trx,
        context,
        batch.map((walletId) => ({
          walletId,
          type: 'suspend_terminal' as const,
          serial,
          balance: Math.max(0, balances.get(hex(walletId)) ?? 0),
        })),
      );
    }
    walletIds.push(...batch.map(hex));
    after = batch.at(-1);
  }
  return { serials, walletIds };
}

/**
 * For a wallet being issued (the caller took holdSuspensionsSteady): one notice per
 * suspended certificate still valid. Returns the serials named.
 */
export async function queueSuspensionsForNewWallet(
  trx: Transaction<PlatformDatabase>,
  context: NoticeContext,
  wallet: { readonly walletId: Uint8Array; readonly balance: number },
): Promise<number[]> {
  const rows = await trx
    .selectFrom('terminal_certificates')
    .select('serial')
    .where('suspended_at', 'is not', null)
    .where('valid_until', '>', context.clock.now())
    .orderBy('serial')
    .execute();
  for (const { serial } of rows) {
    await queueNotification(trx, context, {
      walletId: wallet.walletId,
      type: 'suspend_terminal',
      serial,
      balance: wallet.balance,
    });
  }
  return rows.map((row) => row.serial);
}
