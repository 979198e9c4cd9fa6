/**
 * When the next sync is due (unix seconds): at least a day after the last success, before
 * the hotlist goes stale (a tenth of its allowed age ahead, at least a minute), before the
 * certificate's renewal point, and after a failure sooner, with a doubling backoff (1 min
 * to 1 h). Never sooner than 5 minutes after a success: a platform whose lists do not get
 * younger must not be asked in a loop.
 */
import type { StoredCertificate, StoredIdentity, SyncRecord } from '../../../db/terminal-store';

export interface SyncTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const DAY_SECONDS = 86_400;
const MIN_AFTER_SUCCESS = 300;
const BACKOFF_FIRST = 60;
const BACKOFF_MAX = 3_600;

export function nextSyncAt(input: {
  identity: StoredIdentity | undefined;
  certificate: StoredCertificate | undefined;
  hotlistIssuedAt: number | undefined;
  record: SyncRecord;
  failures: number;
  now: number;
}): number | null {
  const { identity, certificate, record, now } = input;
  if (identity === undefined) return null;
  const lastSuccess = record.lastSuccessAt;
  if (lastSuccess === null && input.failures === 0) return now; // never synced: at once
  const due: number[] = [(lastSuccess ?? now) + DAY_SECONDS];
  if (input.hotlistIssuedAt !== undefined) {
    const maxAge = identity.parameters.hotlistMaxAgeSeconds;
    due.push(input.hotlistIssuedAt + maxAge - Math.max(60, Math.floor(maxAge / 10)));
  }
  if (certificate !== undefined) {
    due.push(
      certificate.validFrom + Math.floor((certificate.validUntil - certificate.validFrom) / 2),
    );
  }
  let at = Math.min(...due);
  if (input.failures > 0) {
    const backoff = Math.min(BACKOFF_MAX, BACKOFF_FIRST * 2 ** (input.failures - 1));
    at = Math.min(at, now + backoff);
    return Math.max(at, now + BACKOFF_FIRST);
  }
  return Math.max(at, (lastSuccess ?? now) + MIN_AFTER_SUCCESS, now);
}
