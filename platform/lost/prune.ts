/**
 * Hotlist pruning. Revocations are permanent, but a revoked wallet whose certificate has
 * expired cannot pay at any terminal (terminals check the certificate's validity before
 * the hotlist), so its entry only costs space: left alone the list would reach the
 * protocol's bound (MAX_HOTLIST_ENTRIES) and stop being deliverable.
 *
 * An entry leaves once certificate validUntil + EXPIRY_ALLOWANCE_SECONDS has passed. The
 * allowance covers a terminal whose clock runs behind: it signs its hotlist requests, which
 * the platform accepts only within ±300 s of its own clock, so at every download its clock
 * is that close; the rest of the hour is room for drift between downloads.
 *
 * A prune takes a version of its own (under hotlist_state's row lock, like a revocation),
 * so the full list of every version stays what it was, and records it as pruned_version:
 * a terminal asking for a delta from before it gets a full list instead (deltas only add),
 * so terminals on delta sync also drop the pruned entries, once per prune. The server runs
 * pruneHotlist periodically (jobs/); prunes from two nodes at once serialise on the lock.
 */
import type { Transaction } from 'kysely';
import { WalletCertificate } from '../../protocol';
import type { PlatformDatabase } from '../db/schema';
import './schema';

export const EXPIRY_ALLOWANCE_SECONDS = 3_600;

/** The certificate's validUntil, or null when the stored bytes are not a certificate. */
export function certificateValidUntil(certificate: Uint8Array): number | null {
  try {
    return WalletCertificate.decode(certificate).value.validUntil;
  } catch {
    return null;
  }
}

export interface PruneResult {
  /** Entries removed; 0 leaves the version as it was. */
  readonly pruned: number;
  readonly hotlistVersion: number;
}

/** Removes the entries whose certificates expired before now − the allowance. */
export async function pruneHotlist(
  trx: Transaction<PlatformDatabase>,
  now: number,
): Promise<PruneResult> {
  // The lock first: a revocation committing meanwhile gets the next version, after ours.
  const state = await trx
    .selectFrom('hotlist_state')
    .select('version')
    .forUpdate()
    .executeTakeFirstOrThrow();
  const removed = await trx
    .deleteFrom('hotlist_entries')
    .where('certificate_valid_until', '<', now - EXPIRY_ALLOWANCE_SECONDS)
    .returning('version')
    .execute();
  if (removed.length === 0) return { pruned: 0, hotlistVersion: state.version };
  const { version } = await trx
    .updateTable('hotlist_state')
    .set((eb) => ({ version: eb('version', '+', 1), pruned_version: eb('version', '+', 1) }))
    .where('singleton', '=', true)
    .returning('version')
    .executeTakeFirstOrThrow();
  return { pruned: removed.length, hotlistVersion: version };
}
