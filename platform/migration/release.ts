/**
 * Releasing holds with their side effects: each hold in its own transaction with its audit
 * row, the new wallet's socket woken after the commit. The operator's release route, the
 * release-due route and the server's periodic job (jobs/) all come through here.
 *
 * Several nodes may release at once: releaseHold takes the migration's row lock and
 * re-reads it, so the second finds the hold released (hold_already_released) and posts
 * nothing; releaseDueHolds treats that as done by someone else.
 */
import type { PlatformContext } from '../context';
import { audit, type AuditActor } from '../audit';
import { isPlatformError } from '../errors';
import { announceNotices } from '../notifications/surface';
import { dueHolds, releaseHold, type ReleaseResult } from './hold';

export interface Releaser {
  readonly actor: AuditActor;
  readonly remoteAddress?: string;
}

export async function releaseAndAnnounce(
  platform: PlatformContext,
  oldWalletId: Uint8Array,
  by: Releaser,
): Promise<ReleaseResult> {
  const { db, keys, clock } = platform;
  const result = await db.transaction().execute(async (trx) => {
    const released = await releaseHold(trx, { keys, clock }, oldWalletId);
    await audit(trx, {
      actor: by.actor,
      action: 'migration.release_hold',
      subject: `wallet:${released.oldWalletId}`,
      outcome: 'ok',
      ...(by.remoteAddress === undefined ? {} : { remoteAddress: by.remoteAddress }),
      detail: { released: released.released, newWalletId: released.newWalletId },
      at: clock.now(),
    });
    return released;
  });
  announceNotices(platform, result.newWalletId);
  return result;
}

export interface DueReleases {
  readonly released: ReleaseResult[];
  /** Holds that could not be released now (retried by the next run); `code` says why. */
  readonly failed: { readonly oldWalletId: string; readonly code: string }[];
}

/** Releases every hold whose window has closed; one failure does not stop the others. */
export async function releaseDueHolds(
  platform: PlatformContext,
  by: Releaser,
  onError?: (oldWalletIdHex: string, error: unknown) => void,
): Promise<DueReleases> {
  const due = await dueHolds(platform.db, platform.clock.now());
  const released: ReleaseResult[] = [];
  const failed: { oldWalletId: string; code: string }[] = [];
  for (const oldWalletId of due) {
    try {
      released.push(await releaseAndAnnounce(platform, oldWalletId, by));
    } catch (error) {
      const code = isPlatformError(error) ? error.code : 'internal';
      if (code === 'hold_already_released') continue; // another node released it meanwhile
      const oldWalletIdHex = Buffer.from(oldWalletId).toString('hex');
      failed.push({ oldWalletId: oldWalletIdHex, code });
      onError?.(oldWalletIdHex, error);
    }
  }
  return { released, failed };
}
