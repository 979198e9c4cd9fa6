/**
 * The terminal's trust set-up in the ledger file (migration 0003_terminal): identity,
 * certificates, trust keys, parameters, suspension and the last sync. Every write is one
 * transaction. Callers verify what they store (certificates, keys); this store keeps it.
 * The private key is never here (main/terminal/enrollment/key-file.ts).
 */
import type Database from 'better-sqlite3';
import { LedgerError, guarded } from './errors';

/** The same shape as main/terminal's TerminalParameters (db/ may not import it). */
export interface StoredParameters {
  readonly currency: number;
  readonly limitPerPayment: number;
  readonly limitOfflineAmount: number;
  readonly limitOfflineCount: number;
  readonly freshnessMaxAgeSeconds: number;
  readonly hotlistMaxAgeSeconds: number;
  readonly settlement: { readonly periodSeconds: number; readonly uploadWithinSeconds: number };
}

export interface StoredTrustKey {
  readonly keyId: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly retiredAt: number | null;
}

export interface StoredCertificate {
  readonly serial: number;
  /** The signed terminal-certificate envelope. */
  readonly envelope: Uint8Array;
  readonly validFrom: number;
  readonly validUntil: number;
}

export interface StoredIdentity {
  readonly merchantId: string;
  readonly terminalId: string;
  readonly publicKey: Uint8Array;
  readonly platformUrl: string;
  readonly enrolledAt: number;
  readonly parameters: StoredParameters;
  readonly suspended: boolean;
  readonly suspendedAt: number | null;
  /** The highest hotlist version ever applied (0: none). */
  readonly hotlistVersion: number;
}

export interface SyncRecord {
  readonly lastSyncAt: number | null;
  /** 'ok' or the failure's code. */
  readonly lastOutcome: string | null;
  readonly lastMessage: string | null;
  readonly lastSuccessAt: number | null;
}

export interface Enrolment {
  readonly merchantId: string;
  readonly terminalId: string;
  readonly publicKey: Uint8Array;
  readonly platformUrl: string;
  readonly enrolledAt: number;
  readonly parameters: StoredParameters;
  readonly trustKeys: readonly StoredTrustKey[];
  readonly certificate: StoredCertificate;
}

interface IdentityRow {
  merchant_id: string;
  terminal_id: string;
  public_key: Buffer;
  platform_url: string;
  enrolled_at: number;
  parameters: string;
  suspended: number;
  suspended_at: number | null;
  hotlist_version: number;
}

/** Certificates that ended this long ago are dropped when a new one is stored. */
const KEEP_EXPIRED_SECONDS = 90 * 86_400;

export class TerminalStore {
  constructor(private readonly db: Database.Database) {}

  identity(): StoredIdentity | undefined {
    return guarded('reading the terminal identity', () => {
      const row = this.db.prepare('SELECT * FROM terminal_identity WHERE id = 1').get() as
        IdentityRow | undefined;
      if (row === undefined) return undefined;
      return {
        merchantId: row.merchant_id,
        terminalId: row.terminal_id,
        publicKey: new Uint8Array(row.public_key),
        platformUrl: row.platform_url,
        enrolledAt: row.enrolled_at,
        parameters: JSON.parse(row.parameters) as StoredParameters,
        suspended: row.suspended === 1,
        suspendedAt: row.suspended_at,
        hotlistVersion: row.hotlist_version,
      };
    });
  }

  /** Stores a whole enrollment at once; refused when the terminal is already enrolled. */
  enroll(input: Enrolment): void {
    guarded('storing the enrollment', () =>
      this.db
        .transaction(() => {
          if (this.db.prepare('SELECT 1 FROM terminal_identity').get() !== undefined) {
            throw new LedgerError('already_enrolled', 'this terminal is already enrolled');
          }
          this.db
            .prepare(
              `INSERT INTO terminal_identity (id, merchant_id, terminal_id, public_key,
                 platform_url, enrolled_at, parameters) VALUES (1, ?, ?, ?, ?, ?, ?)`,
            )
            .run(
              input.merchantId,
              input.terminalId,
              input.publicKey,
              input.platformUrl,
              input.enrolledAt,
              JSON.stringify(input.parameters),
            );
          this.insertCertificate(input.certificate, input.enrolledAt);
          this.writeTrustKeys(input.trustKeys);
        })
        .immediate(),
    );
  }

  /** A renewal: kept beside the earlier ones (each stays valid until its own end). */
  addCertificate(certificate: StoredCertificate, now: number): void {
    guarded('storing a terminal certificate', () =>
      this.db
        .transaction(() => {
          this.insertCertificate(certificate, now);
          this.db
            .prepare('DELETE FROM terminal_certificates WHERE valid_until < ?')
            .run(now - KEEP_EXPIRED_SECONDS);
        })
        .immediate(),
    );
  }

  /** The certificate to present at `now`: the newest valid one, else the newest (expired). */
  certificate(now: number): StoredCertificate | undefined {
    return guarded('reading the terminal certificate', () => {
      const row = (this.db
        .prepare(
          `SELECT serial, envelope, valid_from AS validFrom, valid_until AS validUntil
             FROM terminal_certificates
            ORDER BY (valid_from <= @now AND @now <= valid_until) DESC, valid_until DESC, serial DESC
            LIMIT 1`,
        )
        .get({ now }) ?? undefined) as
        (Omit<StoredCertificate, 'envelope'> & { envelope: Buffer }) | undefined;
      return row === undefined ? undefined : { ...row, envelope: new Uint8Array(row.envelope) };
    });
  }

  trustKeys(): StoredTrustKey[] {
    return guarded('reading the trust keys', () =>
      (
        this.db
          .prepare('SELECT key_id, public_key, retired_at FROM trust_keys ORDER BY key_id')
          .all() as { key_id: Buffer; public_key: Buffer; retired_at: number | null }[]
      ).map((row) => ({
        keyId: new Uint8Array(row.key_id),
        publicKey: new Uint8Array(row.public_key),
        retiredAt: row.retired_at,
      })),
    );
  }

  /** What GET /v1/terminals/{id} said: parameters, trust keys and suspension, together. */
  applyTerminalView(view: {
    parameters: StoredParameters;
    trustKeys: readonly StoredTrustKey[];
    suspended: boolean;
    suspendedAt: number | null;
  }): void {
    guarded('storing the terminal view', () =>
      this.db
        .transaction(() => {
          this.db
            .prepare(
              'UPDATE terminal_identity SET parameters = ?, suspended = ?, suspended_at = ? WHERE id = 1',
            )
            .run(JSON.stringify(view.parameters), view.suspended ? 1 : 0, view.suspendedAt);
          this.writeTrustKeys(view.trustKeys);
        })
        .immediate(),
    );
  }

  setSuspended(suspended: boolean, at: number | null): void {
    guarded('storing the suspension', () =>
      this.db
        .prepare('UPDATE terminal_identity SET suspended = ?, suspended_at = ? WHERE id = 1')
        .run(suspended ? 1 : 0, suspended ? at : null),
    );
  }

  /** The platform moved (a new address for the same platform): requests go there from now. */
  setPlatformUrl(platformUrl: string): void {
    guarded('storing the platform address', () =>
      this.db
        .prepare('UPDATE terminal_identity SET platform_url = ? WHERE id = 1')
        .run(platformUrl),
    );
  }

  /** Raises the hotlist floor; never lowers it. */
  setHotlistVersion(version: number): void {
    guarded('storing the hotlist version', () =>
      this.db
        .prepare(
          'UPDATE terminal_identity SET hotlist_version = max(hotlist_version, ?) WHERE id = 1',
        )
        .run(version),
    );
  }

  recordSync(at: number, outcome: string, message: string | null): void {
    guarded('storing the sync outcome', () =>
      this.db
        .prepare(
          `UPDATE terminal_identity SET last_sync_at = @at, last_sync_outcome = @outcome,
             last_sync_message = @message,
             last_success_at = CASE WHEN @outcome = 'ok' THEN @at ELSE last_success_at END
           WHERE id = 1`,
        )
        .run({ at, outcome, message }),
    );
  }

  syncRecord(): SyncRecord {
    return guarded('reading the sync outcome', () => {
      const row = this.db
        .prepare(
          `SELECT last_sync_at AS lastSyncAt, last_sync_outcome AS lastOutcome,
             last_sync_message AS lastMessage, last_success_at AS lastSuccessAt
           FROM terminal_identity WHERE id = 1`,
        )
        .get() as SyncRecord | undefined;
      return row ?? { lastSyncAt: null, lastOutcome: null, lastMessage: null, lastSuccessAt: null };
    });
  }

  private insertCertificate(certificate: StoredCertificate, now: number): void {
    this.db
      .prepare(
        `INSERT INTO terminal_certificates (serial, envelope, valid_from, valid_until, stored_at)
         VALUES (?, ?, ?, ?, ?) ON CONFLICT (serial) DO NOTHING`,
      )
      .run(
        certificate.serial,
        certificate.envelope,
        certificate.validFrom,
        certificate.validUntil,
        now,
      );
  }

  private writeTrustKeys(keys: readonly StoredTrustKey[]): void {
    this.db.prepare('DELETE FROM trust_keys').run();
    const insert = this.db.prepare(
      'INSERT INTO trust_keys (key_id, public_key, retired_at) VALUES (?, ?, ?)',
    );
    for (const key of keys) insert.run(key.keyId, key.publicKey, key.retiredAt);
  }
}
