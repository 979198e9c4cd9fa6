/**
 * Whether the terminal may take a payment now, and why not (docs/protocol.md §7.2: a
 * certificate valid by its clock and a hotlist no older than `hotlistMaxAgeSeconds`; not
 * while suspended). The checkout asks at each sale through the sync service's `setup()`.
 */
import type { StoredCertificate, StoredIdentity, SyncRecord } from '../../../db/terminal-store';
import type { HotlistIndex } from './hotlist-index';

export type NotReadyReason =
  'not_enrolled' | 'suspended' | 'certificate_expired' | 'no_hotlist' | 'hotlist_stale';

export const NOT_READY_MESSAGES: Readonly<Record<NotReadyReason, string>> = {
  not_enrolled: 'The terminal is not enrolled: enter an enrollment code.',
  suspended: 'The platform suspended this terminal: call support.',
  certificate_expired: "The terminal's certificate is not valid: go online to renew it.",
  no_hotlist: 'The terminal has no list of revoked wallets yet: go online to sync.',
  hotlist_stale: 'The list of revoked wallets is too old: go online to sync.',
};

export interface NotReady {
  readonly reason: NotReadyReason;
  readonly message: string;
}

export interface SyncStatus {
  readonly enrolled: boolean;
  readonly lastSyncAt: number | null;
  /** 'ok' or the TerminalError code of the last attempt. */
  readonly lastOutcome: string | null;
  readonly lastMessage: string | null;
  readonly lastSuccessAt: number | null;
  readonly hotlist: {
    readonly version: number;
    readonly issuedAt: number | null;
    readonly ageSeconds: number | null;
    readonly maxAgeSeconds: number | null;
    readonly entries: number;
  };
  readonly certificate: {
    readonly serial: number;
    readonly validFrom: number;
    readonly validUntil: number;
    readonly valid: boolean;
  } | null;
  readonly suspended: boolean;
  readonly canTakePayments: boolean;
  readonly notReady: NotReady | null;
  /** When the schedule will sync next (unix seconds), null when not scheduled. */
  readonly nextSyncAt: number | null;
}

export function notReadyReason(
  identity: StoredIdentity | undefined,
  certificate: StoredCertificate | undefined,
  hotlist: HotlistIndex,
  now: number,
): NotReadyReason | undefined {
  if (identity === undefined) return 'not_enrolled';
  if (identity.suspended) return 'suspended';
  if (certificate === undefined || now < certificate.validFrom || now > certificate.validUntil) {
    return 'certificate_expired';
  }
  if (hotlist.issuedAt === undefined) return 'no_hotlist';
  if (now - hotlist.issuedAt > identity.parameters.hotlistMaxAgeSeconds) return 'hotlist_stale';
  return undefined;
}

export function syncStatus(input: {
  identity: StoredIdentity | undefined;
  certificate: StoredCertificate | undefined;
  record: SyncRecord;
  hotlist: HotlistIndex;
  now: number;
  nextSyncAt: number | null;
}): SyncStatus {
  const { identity, certificate, hotlist, now } = input;
  const reason = notReadyReason(identity, certificate, hotlist, now);
  return {
    enrolled: identity !== undefined,
    ...input.record,
    hotlist: {
      version: hotlist.version,
      issuedAt: hotlist.issuedAt ?? null,
      ageSeconds: hotlist.issuedAt === undefined ? null : now - hotlist.issuedAt,
      maxAgeSeconds: identity?.parameters.hotlistMaxAgeSeconds ?? null,
      entries: hotlist.count,
    },
    certificate:
      certificate === undefined
        ? null
        : {
            serial: certificate.serial,
            validFrom: certificate.validFrom,
            validUntil: certificate.validUntil,
            valid: certificate.validFrom <= now && now <= certificate.validUntil,
          },
    suspended: identity?.suspended ?? false,
    canTakePayments: reason === undefined,
    notReady: reason === undefined ? null : { reason, message: NOT_READY_MESSAGES[reason] },
    nextSyncAt: input.nextSyncAt,
  };
}
