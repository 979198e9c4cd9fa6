/**
 * Read models of accounts and wallets for operators (routes and the CLI's show-account /
 * show-wallet): balances come from the ledger, never from a cached column.
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { PlatformDatabase } from '../db/schema';
import { notFound } from '../errors';
import { balanceOf, ledgerAccount } from '../ledger/post';
import { hex } from './schemas';

export const WalletView = z.object({
  walletId: z.string(),
  accountId: z.string(),
  status: z.string(),
  serial: z.number().int(),
  balance: z.number().int(),
  currency: z.number().int(),
  limits: z.object({
    perPayment: z.number().int(),
    offlineAmount: z.number().int(),
    offlineCount: z.number().int(),
  }),
  createdAt: z.number().int(),
  revokedAt: z.number().int().nullable(),
  revokeReason: z.string().nullable(),
  notificationSequence: z.number().int(),
  pendingNotices: z.array(
    z.object({ sequence: z.number().int(), type: z.string(), createdAt: z.number().int() }),
  ),
});
export type WalletView = z.infer<typeof WalletView>;

export const AccountView = z.object({
  accountId: z.string(),
  name: z.string(),
  phoneNumber: z.string().nullable(),
  hasIdNumber: z.boolean(),
  disabled: z.boolean(),
  createdAt: z.number().int(),
  balance: z.number().int(),
  wallets: z.array(z.object({ walletId: z.string(), status: z.string(), serial: z.number() })),
});
export type AccountView = z.infer<typeof AccountView>;

export async function walletView(
  db: Kysely<PlatformDatabase>,
  walletId: Uint8Array,
): Promise<WalletView> {
  const row = await db
    .selectFrom('wallets')
    .selectAll()
    .where('wallet_id', '=', walletId)
    .executeTakeFirst();
  if (row === undefined) throw notFound('unknown_wallet', 'no such wallet', 'walletId');
  // Not yet acknowledged by the phone: what a sync or the socket would still deliver.
  const pending = await db
    .selectFrom('notifications')
    .select(['sequence', 'type', 'created_at'])
    .where('wallet_id', '=', walletId)
    .where('acknowledged_at', 'is', null)
    .orderBy('sequence')
    .execute();
  return {
    walletId: hex(row.wallet_id),
    accountId: row.account_id,
    status: row.status,
    serial: row.serial,
    balance: await balanceOf(db, ledgerAccount('wallet', hex(row.wallet_id))),
    currency: row.currency,
    limits: {
      perPayment: row.limit_per_payment,
      offlineAmount: row.limit_offline_amount,
      offlineCount: row.limit_offline_count,
    },
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
    revokeReason: row.revoke_reason,
    notificationSequence: row.notification_seq,
    pendingNotices: pending.map((n) => ({
      sequence: n.sequence,
      type: n.type,
      createdAt: n.created_at,
    })),
  };
}

export async function accountView(
  db: Kysely<PlatformDatabase>,
  accountId: string,
): Promise<AccountView> {
  const row = await db
    .selectFrom('accounts')
    .selectAll()
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  if (row === undefined) throw notFound('unknown_account', 'no such account', 'accountId');
  const wallets = await db
    .selectFrom('wallets')
    .select(['wallet_id', 'status', 'serial'])
    .where('account_id', '=', accountId)
    .orderBy('serial')
    .execute();
  return {
    accountId: row.account_id,
    name: row.name,
    phoneNumber: row.phone_number,
    hasIdNumber: row.id_number_hash !== null,
    disabled: row.disabled,
    createdAt: row.created_at,
    balance: await balanceOf(db, ledgerAccount('user', accountId)),
    wallets: wallets.map((w) => ({
      walletId: hex(w.wallet_id),
      status: w.status,
      serial: w.serial,
    })),
  };
}
