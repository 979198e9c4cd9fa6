/**
 * The message processing unit (消息处理单元, claims 8, 22): judges a platform notice, whether
 * it came straight from the platform (sync, push) or was relayed by a terminal (DELIVER),
 * and says what it does. A notice counts only if a platform issuer key signed it for this
 * wallet with a sequence number not yet applied; the same checks whichever way it came,
 * because a terminal is no more trusted than the network.
 */
import { Notification, SW, type NotificationType, type Signed } from '../../protocol';
import type { AccessRecord } from '../storage/records';
import { stateStatusWord } from './access-control';
import { verifyIssuerSigned } from './issuer-keys';

export type NoticeEffect =
  /** lock / disable: offline payment disabled by the platform (S5; claims 11, 26 B2'). */
  | { readonly kind: 'disable' }
  /** wipe / migrate_out: erase the offline payment data (S5, S6; claim 27). */
  | { readonly kind: 'wipe'; readonly reason: string }
  /** unlock: the user re-verified with the platform (S7-S9; claims 10, 28-29). */
  | { readonly kind: 'unlock' }
  /** top_up / balance_update: money added to the e-cash (S10; steps 53-54). */
  | { readonly kind: 'credit'; readonly amount: number }
  /** suspend_terminal: refuse that terminal certificate from now on, whatever its dates. */
  | { readonly kind: 'suspend_terminal'; readonly serial: number };

export type NoticeJudgement =
  | { readonly ok: true; readonly type: NotificationType; readonly effect: NoticeEffect }
  | { readonly ok: false; readonly sw: number; readonly reason: string };

const refuse = (sw: number, reason: string): NoticeJudgement => ({ ok: false, sw, reason });

function effectOf(notice: Notification): NoticeEffect {
  switch (notice.notificationType) {
    case 'lock':
    case 'disable':
      return { kind: 'disable' };
    case 'wipe':
      return { kind: 'wipe', reason: 'wiped by platform notice' };
    case 'migrate_out':
      return { kind: 'wipe', reason: 'wallet migrated to another phone' };
    case 'unlock':
      return { kind: 'unlock' };
    case 'top_up':
    case 'balance_update':
      return { kind: 'credit', amount: notice.amount };
    case 'suspend_terminal':
      return { kind: 'suspend_terminal', serial: notice.serial };
  }
}

/**
 * Judges `signed` against the wallet's access record. `secretsOpen` says whether the
 * sealed part is readable: an unlock or a credit cannot be applied without it, and is
 * then refused unconsumed, so it can be delivered again once the binding matches.
 */
export function judgeNotice(
  access: AccessRecord,
  secretsOpen: boolean,
  signed: Signed<Notification>,
  now: number,
): NoticeJudgement {
  if (access.state === 'not_activated' || access.state === 'wiped') {
    return refuse(stateStatusWord(access.state), `the wallet is ${access.state}`);
  }
  const notice = signed.value;
  if (access.walletId === undefined || !Buffer.from(notice.walletId).equals(access.walletId)) {
    return refuse(SW.malformed_data, 'the notice is for another wallet');
  }
  // The signature first: nothing unauthenticated may even influence which refusal is given.
  if (!verifyIssuerSigned(Notification, signed, access.issuerKeys, (n) => n.issuerKeyId, now)) {
    return refuse(SW.notification_unknown_signer, 'not signed by a platform issuer key');
  }
  if (notice.sequence <= access.notificationSequence) {
    return refuse(
      SW.notification_replay,
      `sequence ${notice.sequence} ≤ ${access.notificationSequence}`,
    );
  }
  const effect = effectOf(notice);
  if ((effect.kind === 'unlock' || effect.kind === 'credit') && !secretsOpen) {
    return refuse(stateStatusWord(access.state), `cannot apply ${notice.notificationType} now`);
  }
  return { ok: true, type: notice.notificationType, effect };
}
