/**
 * Limits on failed credential checks (unlock with IMEI/IMSI/registration details, password
 * checks): after `maxFailures` failures within `windowSeconds`, further attempts are refused
 * with 429 until the window ends — counted per wallet AND per address (and any other scope
 * the caller names), so neither one phone nor one source can keep guessing.
 *
 * Kept in the database, not in memory, so every API node sees the same counts and a
 * restart does not reset them. Usage in a unit:
 *
 *   const unlockLimiter = new AttemptLimiter({ name: 'unlock', maxFailures: 5, windowSeconds: 900 });
 *   const scopes = { wallet: walletIdHex, address: request.ip };
 *   await unlockLimiter.assertAllowed(db, clock.now(), scopes);      // 429 when over
 *   if (!ok) await unlockLimiter.recordFailure(db, clock.now(), scopes);
 *   else await unlockLimiter.clear(db, { wallet: walletIdHex });     // success resets the wallet
 */
import { sql, type Kysely } from 'kysely';
import type { PlatformDatabase } from '../db/schema';
import { tooManyAttempts } from '../errors';

export type AttemptScopes = Readonly<Record<string, string>>;

export interface AttemptLimiterOptions {
  readonly name: string;
  readonly maxFailures: number;
  readonly windowSeconds: number;
}

export class AttemptLimiter {
  constructor(readonly options: AttemptLimiterOptions) {
    if (!Number.isSafeInteger(options.maxFailures) || options.maxFailures < 1) {
      throw new RangeError('maxFailures must be >= 1');
    }
    if (!Number.isSafeInteger(options.windowSeconds) || options.windowSeconds < 1) {
      throw new RangeError('windowSeconds must be >= 1');
    }
  }

  /** Throws 429 rate_limited (with Retry-After) if any scope has used up its failures. */
  async assertAllowed(
    db: Kysely<PlatformDatabase>,
    now: number,
    scopes: AttemptScopes,
  ): Promise<void> {
    const { name, maxFailures, windowSeconds } = this.options;
    const entries = Object.entries(scopes);
    if (entries.length === 0) return;
    const rows = await db
      .selectFrom('attempt_failures')
      .select(['scope', 'window_start', 'failures'])
      .where('limiter', '=', name)
      .where((eb) => eb.or(entries.map(([scope, subject]) => eb.and({ scope, subject }))))
      .execute();
    let retryAfter = 0;
    for (const row of rows) {
      const windowEnd = row.window_start + windowSeconds;
      if (windowEnd > now && row.failures >= maxFailures)
        retryAfter = Math.max(retryAfter, windowEnd - now);
    }
    if (retryAfter > 0)
      throw tooManyAttempts(`too many failed ${name} attempts; retry later`, retryAfter);
  }

  /** Counts one failure in every scope; a window that has ended starts again. */
  async recordFailure(
    db: Kysely<PlatformDatabase>,
    now: number,
    scopes: AttemptScopes,
  ): Promise<void> {
    const { name, windowSeconds } = this.options;
    for (const [scope, subject] of Object.entries(scopes)) {
      await db
        .insertInto('attempt_failures')
        .values({ limiter: name, scope, subject, window_start: now, failures: 1 })
        .onConflict((oc) =>
          oc.columns(['limiter', 'scope', 'subject']).doUpdateSet({
            // One statement, so concurrent failures are all counted.
            failures: sql<number>`case when attempt_failures.window_start + ${windowSeconds} <= ${now}
              then 1 else attempt_failures.failures + 1 end`,
            window_start: sql<number>`case when attempt_failures.window_start + ${windowSeconds} <= ${now}
              then ${now}::bigint else attempt_failures.window_start end`,
          }),
        )
        .execute();
    }
  }

  /** Forgets the failures of these scopes (after a success). */
  async clear(db: Kysely<PlatformDatabase>, scopes: AttemptScopes): Promise<void> {
    for (const [scope, subject] of Object.entries(scopes)) {
      await db
        .deleteFrom('attempt_failures')
        .where('limiter', '=', this.options.name)
        .where('scope', '=', scope)
        .where('subject', '=', subject)
        .execute();
    }
  }

  /** Drops rows whose window has ended (housekeeping; never needed for correctness). */
  async prune(db: Kysely<PlatformDatabase>, now: number): Promise<void> {
    await db
      .deleteFrom('attempt_failures')
      .where('limiter', '=', this.options.name)
      .where('window_start', '<=', now - this.options.windowSeconds)
      .execute();
  }
}
