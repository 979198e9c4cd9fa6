/**
 * The platform's issuer keys: what signs wallet certificates, freshness tokens, hotlists,
 * notifications and settlement results. One key is active (signs); older keys stay listed
 * and keep verifying until their `retired_at` passes, so certificates issued before a
 * rotation remain valid for their lifetime.
 *
 * Private scalars are stored sealed (protocol/crypto/seal.ts, AES-256-GCM) under a key
 * derived with HKDF from the master key (keys/master-key.ts); the sealing context is the
 * key id, so a sealed blob copied onto another row does not open.
 */
import type { Kysely } from 'kysely';
import {
  deriveKey,
  exportScalar,
  generateSigningKey,
  IssuerKeyAnnouncement,
  keyIdOf,
  NO_END,
  seal,
  signingKeyFromScalar,
  unseal,
  type SigningKey,
} from '../../protocol';
import type { Clock } from '../clock';
import type { PlatformDatabase } from '../db/schema';

/** Default time an old key keeps verifying after a rotation: longer than any certificate. */
export const DEFAULT_RETIRE_AFTER_SECONDS = 400 * 24 * 3600;

const SEAL_SALT = Buffer.from('tapsafe/1/platform-master-key', 'ascii');
const SEAL_INFO = Buffer.from('issuer-key-seal', 'ascii');
const sealContext = (keyId: Uint8Array) =>
  Buffer.concat([Buffer.from('tapsafe/1/issuer-key\0', 'ascii'), keyId]);

export class KeyRingError extends Error {
  override readonly name = 'KeyRingError';
  constructor(
    readonly code: 'master_key_mismatch' | 'no_active_key',
    message: string,
  ) {
    super(message);
  }
}

export interface IssuerKey {
  readonly keyId: Uint8Array;
  readonly keyIdHex: string;
  readonly publicKey: Uint8Array;
  readonly signingKey: SigningKey;
}

export interface IssuerKeyInfo {
  readonly keyIdHex: string;
  readonly publicKey: Uint8Array;
  readonly createdAt: number;
  readonly retiredAt: number | null;
  readonly isActive: boolean;
}

interface KeyRow {
  key_id: Uint8Array;
  public_key: Uint8Array;
  sealed_private: Uint8Array;
  created_at: number;
  retired_at: number | null;
  is_active: boolean;
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const info = (row: KeyRow): IssuerKeyInfo => ({
  keyIdHex: hex(row.key_id),
  publicKey: row.public_key,
  createdAt: row.created_at,
  retiredAt: row.retired_at,
  isActive: row.is_active,
});

/** Made earlier; within one second a retired key is older than the active one. */
const olderThan = (a: KeyRow, b: KeyRow): boolean =>
  a.created_at !== b.created_at
    ? a.created_at < b.created_at
    : (a.retired_at ?? Infinity) < (b.retired_at ?? Infinity);

/**
 * How long a node signs with the key ring it last read before it looks again: a rotation or
 * retirement made by another node (or the CLI) takes effect here within this time. The
 * ring's own rotate() and retire() take effect at once.
 */
export const KEY_RING_REFRESH_MS = 30_000;

export class IssuerKeys {
  readonly #db: Kysely<PlatformDatabase>;
  readonly #clock: Clock;
  readonly #sealingKey: Uint8Array;
  readonly #unsealed = new Map<string, SigningKey>();
  /** Every row, as last read. activeIssuer() and verifyingKeys() answer from it. */
  #ring: readonly KeyRow[] = [];
  #readAt = 0;
  #refreshing: Promise<void> | undefined;
  /** The announcements last signed, and the ring state they describe. */
  #announced: { readonly state: string; readonly envelopes: readonly Uint8Array[] } | undefined;

  private constructor(db: Kysely<PlatformDatabase>, clock: Clock, masterKey: Uint8Array) {
    this.#db = db;
    this.#clock = clock;
    this.#sealingKey = deriveKey(masterKey, SEAL_SALT, SEAL_INFO);
  }

  /** Loads the key ring, creating the first key on first start; checks the master key fits. */
  static async open(options: {
    db: Kysely<PlatformDatabase>;
    clock: Clock;
    masterKey: Uint8Array;
  }): Promise<IssuerKeys> {
    const keys = new IssuerKeys(options.db, options.clock, options.masterKey);
    await keys.refresh();
    if (!keys.#ring.some((row) => row.is_active)) {
      // Two nodes starting at once: the partial unique index lets one insert win.
      await keys.#db
        .insertInto('platform_keys')
        .values(keys.#newKeyRow(true))
        .onConflict((oc) => oc.column('is_active').where('is_active', '=', true).doNothing())
        .execute();
      await keys.refresh();
    }
    await keys.activeIssuer(); // fails now, not at the first activation, on a wrong master key
    return keys;
  }

  /**
   * Reads the ring again. Callers never need to: the ring refreshes itself in the
   * background once KEY_RING_REFRESH_MS old. Tests and the CLI call it to see another
   * process's rotation at once.
   */
  async refresh(): Promise<void> {
    const rows = await this.#db
      .selectFrom('platform_keys')
      .selectAll()
      .orderBy('is_active', 'desc')
      .orderBy('created_at', 'desc')
      .orderBy('key_id')
      .execute();
    this.#ring = rows;
    this.#readAt = performance.now();
  }

  /**
   * The ring as last read, starting a background refresh when it is old. Never waits on
   * the database, so code inside a transaction may sign (on PGlite a query through the
   * pool during a transaction would wait for that transaction forever).
   */
  #current(): readonly KeyRow[] {
    if (performance.now() - this.#readAt >= KEY_RING_REFRESH_MS && !this.#refreshing) {
      this.#refreshing = this.refresh()
        // A failed refresh keeps the old ring (still valid keys); the next call retries.
        .catch(() => undefined)
        .finally(() => (this.#refreshing = undefined));
    }
    return this.#ring;
  }

  #newKeyRow(isActive: boolean): KeyRow {
    const signingKey = generateSigningKey();
    const keyId = keyIdOf(signingKey.publicKey);
    this.#unsealed.set(hex(keyId), signingKey);
    return {
      key_id: keyId,
      public_key: signingKey.publicKey,
      sealed_private: seal(this.#sealingKey, exportScalar(signingKey), sealContext(keyId)),
      created_at: this.#clock.now(),
      retired_at: null,
      is_active: isActive,
    };
  }

  #unseal(row: KeyRow): SigningKey {
    const cached = this.#unsealed.get(hex(row.key_id));
    if (cached !== undefined) return cached;
    let scalar: Uint8Array;
    try {
      scalar = unseal(this.#sealingKey, row.sealed_private, sealContext(row.key_id));
    } catch {
      throw new KeyRingError(
        'master_key_mismatch',
        `issuer key ${hex(row.key_id)} does not open under this master key: ` +
          `check PLATFORM_MASTER_KEY or <dataDir>/master.key`,
      );
    }
    const signingKey = signingKeyFromScalar(scalar);
    this.#unsealed.set(hex(row.key_id), signingKey);
    return signingKey;
  }

  #verifies(row: KeyRow): boolean {
    return row.retired_at === null || row.retired_at > this.#clock.now();
  }

  /** The key that signs now (from the ring in memory: safe inside a transaction). */
  // eslint-disable-next-line @typescript-eslint/require-await -- async so a missing key is a rejection, like every other ring call
  async activeIssuer(): Promise<IssuerKey> {
    const row = this.#current().find((r) => r.is_active);
    if (row === undefined) throw new KeyRingError('no_active_key', 'no active issuer key');
    return {
      keyId: row.key_id,
      keyIdHex: hex(row.key_id),
      publicKey: row.public_key,
      signingKey: this.#unseal(row),
    };
  }

  /**
   * The public key for `keyId` if it still verifies now (not retired), else undefined. A key
   * the ring does not know yet (made by another node since the last read) is looked up in
   * the database, so call this outside transactions.
   */
  async publicKeyFor(keyId: Uint8Array): Promise<Uint8Array | undefined> {
    const wanted = (rows: readonly KeyRow[]) =>
      rows.find((r) => Buffer.from(r.key_id).equals(keyId));
    let row = wanted(this.#current());
    if (row === undefined) {
      await this.refresh();
      row = wanted(this.#ring);
    }
    return row !== undefined && this.#verifies(row) ? row.public_key : undefined;
  }

  /** Every key, including retired ones, read now: the active key first, then newest first. */
  async list(): Promise<IssuerKeyInfo[]> {
    await this.refresh();
    return this.#ring.map(info);
  }

  /** Keys that verify now, what terminals should trust (from the ring in memory). */
  // eslint-disable-next-line @typescript-eslint/require-await -- same contract as activeIssuer
  async verifyingKeys(): Promise<IssuerKeyInfo[]> {
    return this.#current()
      .filter((row) => this.#verifies(row))
      .map(info);
  }

  /**
   * Signed IssuerKeyAnnouncement envelopes, one per key that verifies now (validUntil: its
   * retirement, or NO_END), for every sync answer. Signed again only when the set of
   * verifying keys or a retirement time changes, not per request.
   *
   * The signer is the OLDEST key that still verifies, not the active one: a wallet trusts
   * the keys that verified at its activation, and every key verifying now that is older
   * than its activation verified then — so every wallet that can still check anything
   * holds the signer, including one activated before the key announced was made. (A key
   * announced under its own signature would reach no wallet that needs it.)
   */
  // eslint-disable-next-line @typescript-eslint/require-await -- same contract as activeIssuer
  async announcements(): Promise<readonly Uint8Array[]> {
    const verifying = this.#current().filter((row) => this.#verifies(row));
    const state = verifying.map((row) => `${hex(row.key_id)}:${row.retired_at}`).join(',');
    if (this.#announced?.state === state) return this.#announced.envelopes;
    const signer = verifying.reduce<KeyRow | undefined>(
      (oldest, row) => (oldest === undefined || olderThan(row, oldest) ? row : oldest),
      undefined,
    );
    if (signer === undefined) throw new KeyRingError('no_active_key', 'no issuer key verifies');
    const signingKey = this.#unseal(signer);
    const issuedAt = this.#clock.now();
    const envelopes = verifying.map(
      (row) =>
        IssuerKeyAnnouncement.sign(
          {
            issuerKeyId: signer.key_id,
            announcedKey: row.public_key,
            issuedAt,
            validUntil: row.retired_at ?? NO_END,
          },
          signingKey,
        ).encoded,
    );
    this.#announced = { state, envelopes };
    return envelopes;
  }

  /**
   * A new active key; the old one stops signing at once and stops verifying after
   * `retireOldAfterSeconds` (default DEFAULT_RETIRE_AFTER_SECONDS; 0 retires it now).
   */
  async rotate(options: { retireOldAfterSeconds?: number } = {}): Promise<{
    active: IssuerKeyInfo;
    retired: IssuerKeyInfo | undefined;
  }> {
    const after = options.retireOldAfterSeconds ?? DEFAULT_RETIRE_AFTER_SECONDS;
    if (!Number.isSafeInteger(after) || after < 0)
      throw new RangeError('retireOldAfterSeconds must be >= 0');
    const rotated = await this.#db.transaction().execute(async (trx) => {
      const old = await trx
        .selectFrom('platform_keys')
        .selectAll()
        .where('is_active', '=', true)
        .forUpdate()
        .executeTakeFirst();
      let retired: KeyRow | undefined;
      if (old !== undefined) {
        retired = await trx
          .updateTable('platform_keys')
          .set({ is_active: false, retired_at: this.#clock.now() + after })
          .where('key_id', '=', old.key_id)
          .returningAll()
          .executeTakeFirstOrThrow();
      }
      const fresh = this.#newKeyRow(true);
      await trx.insertInto('platform_keys').values(fresh).execute();
      return { active: info(fresh), retired: retired && info(retired) };
    });
    await this.refresh();
    return rotated;
  }

  /** Stops a non-active key from verifying at `at` (default now), e.g. after a compromise. */
  async retire(keyIdHex: string, at = this.#clock.now()): Promise<boolean> {
    const result = await this.#db
      .updateTable('platform_keys')
      .set({ retired_at: at })
      .where('key_id', '=', Buffer.from(keyIdHex, 'hex'))
      .where('is_active', '=', false)
      .executeTakeFirst();
    await this.refresh();
    return result.numUpdatedRows > 0n;
  }
}
