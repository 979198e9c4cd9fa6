/**
 * Replay protection for signed requests: each (caller, nonce) is accepted once. A nonce is
 * remembered until the clock window of its request has closed (request time + window);
 * after that the time check alone refuses a replay, so the row can go.
 */
import type { Kysely } from 'kysely';
import type { PlatformDatabase, RequestNoncesTable } from '../db/schema';

/** True the first time; false when this caller has used this nonce before (a replay). */
export async function rememberNonce(
  db: Kysely<PlatformDatabase>,
  entry: RequestNoncesTable,
): Promise<boolean> {
  const inserted = await db
    .insertInto('request_nonces')
    .values(entry)
    .onConflict((oc) => oc.columns(['caller_kind', 'caller_id', 'nonce']).doNothing())
    .returning('expires_at')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** Forgets nonces whose window has closed; returns how many. */
export async function pruneNonces(db: Kysely<PlatformDatabase>, now: number): Promise<number> {
  const result = await db
    .deleteFrom('request_nonces')
    .where('expires_at', '<', now)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
