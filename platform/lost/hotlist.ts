/**
 * Building the signed hotlist terminals download (PROTOCOL.md "Hotlist"): the full list of
 * revoked wallets, or the delta since a version the terminal already holds, each with the
 * latest lock / disable / wipe / migrate-out notice per wallet so that a terminal can hand
 * it to the revoked phone when it taps (S5: "through any terminal it taps otherwise").
 *
 * Every terminal reads the same few lists, so signed lists are cached per (kind, base,
 * version, issuer key): a version never changes once committed, and a key rotation changes
 * the cache key. A cached list is served for at most CACHE_SECONDS after its `issuedAt`:
 * a terminal judges its hotlist's age by `issuedAt` (it takes no payment with a list older
 * than its hotlistMaxAgeSeconds), so a list cached since the last revocation, days ago,
 * would stop every terminal although each one syncs. A notice queued for an already listed wallet (a migrate-out after a lost
 * report's wipe) does not bump the version, so a cached list keeps the older notice: both
 * erase the phone, and the newer one reaches it at its next sync.
 *
 * Entries whose certificates have expired are pruned (prune.ts); a delta from before the
 * latest prune is answered with a full list, so every terminal drops them.
 */
import type { Kysely } from 'kysely';
import {
  Hotlist,
  MAX_HOTLIST_ENTRIES,
  Notification,
  MAX_HOTLIST_NOTICES,
  type HotlistEntry,
  type Signed,
} from '../../protocol';
import { audit, SYSTEM_ACTOR } from '../audit';
import type { PlatformDatabase } from '../db/schema';
import { PlatformError } from '../errors';
import type { NoticeContext } from '../notifications/queue';
import './schema';

/** A delta spans at most this many versions; a terminal further behind gets the full list. */
export const MAX_DELTA_SPAN = 5_000;
const CACHE_SIZE = 32;
/** How long a signed list is served again; below the smallest hotlistMaxAgeSeconds (60 s). */
export const CACHE_SECONDS = 30;

/** Notice types a revoked phone must obey; what terminals relay. */
const RELAYED = ['lock', 'disable', 'wipe', 'migrate_out'] as const;

export async function currentHotlistVersion(db: Kysely<PlatformDatabase>): Promise<number> {
  const row = await db.selectFrom('hotlist_state').select('version').executeTakeFirstOrThrow();
  return row.version;
}

/**
 * 503 hotlist_too_large: even after pruning (prune.ts) more wallets are revoked than one
 * Hotlist can carry (a protocol bound). Terminals keep the list they have and retry; the
 * operator finds a 'hotlist.over_limit' audit row and an error in the log. Deltas (at
 * most MAX_DELTA_SPAN entries) are still served to terminals that are current.
 */
export class HotlistTooLargeError extends PlatformError {
  constructor(
    readonly entries: number,
    readonly max: number,
  ) {
    super(
      503,
      'hotlist_too_large',
      `the hotlist has ${entries} entries, above the ${max} one list can carry`,
    );
  }
}

export class HotlistBuilder {
  readonly #cache = new Map<string, Signed<Hotlist>>();
  #reportedOverLimit: number | undefined;

  constructor(
    private readonly db: Kysely<PlatformDatabase>,
    private readonly ctx: NoticeContext,
    /** The protocol's bound; tests lower it rather than revoke 100 000 wallets. */
    private readonly maxEntries = MAX_HOTLIST_ENTRIES,
  ) {}

  /** `since` undefined → full; a known, recent version → delta; anything else → full. */
  async build(since?: number): Promise<Signed<Hotlist>> {
    const state = await this.db
      .selectFrom('hotlist_state')
      .select(['version', 'pruned_version'])
      .executeTakeFirstOrThrow();
    const version = state.version;
    // From before a prune, a delta would leave the pruned entries on the terminal for good.
    const delta =
      since !== undefined &&
      since >= Math.max(1, state.pruned_version) &&
      since <= version &&
      version - since <= MAX_DELTA_SPAN;
    const base = delta ? since : 0;
    const issuer = await this.ctx.keys.activeIssuer();
    const key = `${delta ? 'delta' : 'full'}:${base}:${version}:${issuer.keyIdHex}`;
    const cached = this.#cache.get(key);
    if (cached !== undefined && this.ctx.clock.now() - cached.value.issuedAt <= CACHE_SECONDS) {
      return cached;
    }
    this.#cache.delete(key); // re-inserted below, so the oldest-first eviction stays right

    // Bounded by `version`, not by "now": rows committed after the version read above
    // belong to the next version and must not leak into this one.
    const rows = await this.db
      .selectFrom('hotlist_entries')
      .select(['version', 'wallet_id', 'reason', 'revoked_at'])
      .where('version', '>', base)
      .where('version', '<=', version)
      .orderBy('version')
      .execute();
    if (rows.length > this.maxEntries) {
      if (this.#reportedOverLimit !== version) {
        this.#reportedOverLimit = version; // one audit row per version and node, not per terminal
        await audit(this.db, {
          actor: SYSTEM_ACTOR,
          action: 'hotlist.over_limit',
          outcome: 'failed',
          detail: { hotlistVersion: version, entries: rows.length, max: this.maxEntries },
          at: this.ctx.clock.now(),
        });
      }
      throw new HotlistTooLargeError(rows.length, this.maxEntries);
    }
    const entries: HotlistEntry[] = rows.map((row) => ({
      walletId: row.wallet_id,
      reason: row.reason,
      revokedAt: row.revoked_at,
    }));
    const signed = Hotlist.sign(
      {
        hotlistVersion: version,
        kind: delta ? 'delta' : 'full',
        baseVersion: base,
        issuerKeyId: issuer.keyId,
        issuedAt: this.ctx.clock.now(),
        entries,
        notices: await this.#latestNotices(base, version),
      },
      issuer.signingKey,
    );
    this.#cache.set(key, signed);
    if (this.#cache.size > CACHE_SIZE) {
      const oldest = this.#cache.keys().next().value;
      if (oldest !== undefined) this.#cache.delete(oldest);
    }
    return signed;
  }

  /** The latest relayed notice of each wallet listed in (base, version], newest entries first. */
  async #latestNotices(base: number, version: number): Promise<Signed<Notification>[]> {
    const rows = await this.db
      .selectFrom('hotlist_entries as h')
      .innerJoin('notifications as n', 'n.wallet_id', 'h.wallet_id')
      .distinctOn('h.version')
      .select(['h.version', 'n.envelope'])
      .where('h.version', '>', base)
      .where('h.version', '<=', version)
      .where('n.type', 'in', RELAYED)
      .orderBy('h.version', 'desc')
      .orderBy('n.sequence', 'desc')
      .limit(MAX_HOTLIST_NOTICES)
      .execute();
    return rows.reverse().map((row) => Notification.decode(row.envelope));
  }
}
