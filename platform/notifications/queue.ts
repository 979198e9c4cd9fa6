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
  /** The terminal certificate a suspend_terminal notice names. */
  readonly serial?: number;
}

export interface NoticeContext {
  readonly keys: IssuerKeys;
  readonly clock: Clock;
}

/** Allocates the wallet's next sequence number, signs the notice and stores it. */
export async function queueNotification(
  trx: Transaction<PlatformDatabase>,
  context: NoticeContext,
  input: NoticeInput,
): Promise<Signed<Notification>> {
  const [signed] = await queueNotifications(trx, context, [input]);
  if (!signed) throw new Error('queueNotifications returned nothing for one notice');
  return signed;
}

/**
 * The same for many wallets in three statements, whatever their number (a settlement
 * batch notifies hundreds at once). `inputs` name each wallet at most once; callers that
 * lock wallets pass them in their lock order.
 */
export async function queueNotifications(
  trx: Transaction<PlatformDatabase>,
  { keys, clock }: NoticeContext,
  inputs: readonly NoticeInput[],
): Promise<Signed<Notification>[]> {
  if (inputs.length === 0) return [];
  // The row locks taken by this update order concurrent notices of one wallet.
  const rows = await trx
    .updateTable('wallets')
    .set((eb) => ({ notification_seq: eb('notification_seq', '+', 1) }))
    .where(
      'wallet_id',
      'in',
      inputs.map((input) => input.walletId),
    )
    .returning(['wallet_id', 'notification_seq'])
    .execute();
  const sequences = new Map(rows.map((row) => [hex(row.wallet_id), row.notification_seq]));
  const issuer = await keys.activeIssuer();
  const issuedAt = clock.now();
  const signed = inputs.map((input) => {
    const sequence = sequences.get(hex(input.walletId));
    if (sequence === undefined) throw new Error(`no wallet ${hex(input.walletId)} to notify`);
    return Notification.sign(
      {
        notificationType: input.type,
        walletId: input.walletId,
        sequence,
        issuerKeyId: issuer.keyId,
        issuedAt,
        amount: input.amount ?? 0,
        balance: input.balance,
        serial: input.serial ?? 0,
      },
      issuer.signingKey,
    );
  });
  await trx
    .insertInto('notifications')
    .values(
      signed.map((notice) => ({
        wallet_id: notice.value.walletId,
        sequence: notice.value.sequence,
        type: notice.value.notificationType,
        envelope: notice.encoded,
        created_at: issuedAt,
        acknowledged_at: null,
      })),
    )
    .execute();
  return signed;
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

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
