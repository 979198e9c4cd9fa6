/**
 * Queuing a notification: every unit that must tell a phone something (a lock after a
 * lost report, a balance update after settlement, an unlock after re-verification) calls
 * queueNotification inside its own transaction, so the notice exists exactly when the
 * change it announces does. Delivery (pull at sync, WebSocket push, relay by terminals
 * through the hotlist) reads from the same table.
 */
import type { Kysely, Transaction } from 'kysely';
import { Notification, type NotificationType, type Signed } from '../../protocol';
import type { Clock } from '../clock';
import type { PlatformDatabase } from '../db/schema';
import type { IssuerKeys } from '../keys/issuer-keys';

export interface NoticeInput {
  readonly walletId: Uint8Array;
  readonly type: NotificationType;
  /** Money moved by the notice (top-up, balance update, migrate-out); 0 when none. */
  readonly amount?: number;
  /** The wallet's balance as the platform holds it after the notice. */
  readonly balance: number;
}

export interface NoticeContext {
  readonly keys: IssuerKeys;
  readonly clock: Clock;
}

/** Allocates the wallet's next sequence number, signs the notice and stores it. */
export async function queueNotification(
  trx: Transaction<PlatformDatabase>,
  { keys, clock }: NoticeContext,
  input: NoticeInput,
): Promise<Signed<Notification>> {
  // The row lock taken by this update orders concurrent notices of one wallet.
  const { notification_seq: sequence } = await trx
    .updateTable('wallets')
    .set((eb) => ({ notification_seq: eb('notification_seq', '+', 1) }))
    .where('wallet_id', '=', input.walletId)
    .returning('notification_seq')
    .executeTakeFirstOrThrow();
  const issuer = await keys.activeIssuer();
  const issuedAt = clock.now();
  const signed = Notification.sign(
    {
      notificationType: input.type,
      walletId: input.walletId,
      sequence,
      issuerKeyId: issuer.keyId,
      issuedAt,
      amount: input.amount ?? 0,
      balance: input.balance,
    },
    issuer.signingKey,
  );
  await trx
    .insertInto('notifications')
    .values({
      wallet_id: input.walletId,
      sequence,
      type: input.type,
      envelope: signed.encoded,
      created_at: issuedAt,
      acknowledged_at: null,
    })
    .execute();
  return signed;
}

/** Notices of a wallet after `afterSequence`, oldest first: what a phone has not applied. */
export async function pendingNotifications(
  db: Kysely<PlatformDatabase>,
  walletId: Uint8Array,
  afterSequence: number,
): Promise<Uint8Array[]> {
  const rows = await db
    .selectFrom('notifications')
    .select('envelope')
    .where('wallet_id', '=', walletId)
    .where('sequence', '>', afterSequence)
    .orderBy('sequence')
    .execute();
  return rows.map((row) => row.envelope);
}
