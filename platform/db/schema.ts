/**
 * Kysely table types of the core tables (migrations 0001-0006), shared by several units.
 *
 * Conventions, enforced by the migrations:
 * - times are bigint seconds since the Unix epoch, written from the injected Clock (never
 *   `now()` in SQL), so tests and the demo can time-travel;
 * - money is bigint minor units, read as a safe-integer number (db/bigint.ts);
 * - binary ids and keys are bytea, read as Uint8Array (pg gives Buffer, a subclass).
 *
 * A unit adds its own tables by augmenting this interface from its own schema file:
 *
 *   declare module '../db/schema' {
 *     interface PlatformDatabase { activation_codes: ActivationCodesTable }
 *   }
 */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { RevocationReason } from '../../protocol';

/** Set by the database on insert (bigserial); never written by code. */
type Serial = ColumnType<number, never, never>;
/** JSON columns: read as the parsed value, written as a JSON string or value. */
export type Json<T> = ColumnType<T, T | string, T | string>;

export interface PlatformKeysTable {
  key_id: Uint8Array; // keyIdOf(public_key), 8 bytes
  public_key: Uint8Array; // compressed SEC1, 33 bytes
  sealed_private: Uint8Array; // the private scalar, sealed under the master key
  created_at: number;
  /** When set, the key stops verifying at this time; the active key never has one. */
  retired_at: number | null;
  is_active: boolean;
}

export interface AccountsTable {
  account_id: string; // protocol identifier: 1..32 of [A-Za-z0-9._-]
  name: string;
  password_hash: string; // protocol/crypto/password.ts scrypt string
  /** The ID document number given at registration, hashed like a password: re-verified at unlock. */
  id_number_hash: string | null;
  phone_number: string | null;
  created_at: number;
  disabled: Generated<boolean>;
}

export interface MerchantsTable {
  merchant_id: string;
  name: string;
  created_at: number;
}

export const TERMINAL_STATUSES = ['active', 'suspended'] as const;
export type TerminalStatus = (typeof TERMINAL_STATUSES)[number];

export interface TerminalsTable {
  terminal_id: string;
  merchant_id: string;
  public_key: Uint8Array;
  status: Generated<TerminalStatus>;
  /** Limits, T2, hotlist maximum age, settlement schedule: shaped by the enrollment unit. */
  params: Json<Record<string, unknown>>;
  enrolled_at: number;
  suspended_at: number | null;
}

export const WALLET_STATUSES = ['active', 'locked', 'revoked', 'migrated', 'wiped'] as const;
export type WalletStatus = (typeof WALLET_STATUSES)[number];

export interface WalletsTable {
  wallet_id: Uint8Array; // 16 bytes
  account_id: string;
  public_key: Uint8Array;
  binding_salt: Uint8Array; // 16 bytes; the certificate carries sha256(label, salt, IMEI, IMSI)
  /**
   * IMEI and IMSI in clear, as the patent's user information database keeps them: the user
   * verification unit (claim 10; S6-S9) re-checks them, and a lost-phone report (S5) must
   * name the handset to the carrier. The certificate itself carries only the salted digest.
   */
  imei: string;
  imsi: string;
  certificate: Uint8Array; // the signed WalletCertificate envelope
  serial: number; // certificate serial, from the certificate_serials sequence
  status: Generated<WalletStatus>;
  currency: number; // ISO 4217 numeric
  limit_per_payment: number;
  limit_offline_amount: number;
  limit_offline_count: number;
  /** Last Notification sequence number issued to this wallet (0: none yet). */
  notification_seq: Generated<number>;
  created_at: number;
  revoked_at: number | null;
  revoke_reason: RevocationReason | null;
}

export interface LedgerTransactionsTable {
  txn_id: Serial;
  kind: string;
  /** Idempotency key: a second post with the same reference is not written again. */
  reference: string | null;
  created_at: number;
}

export interface LedgerEntriesTable {
  entry_id: Serial;
  txn_id: number;
  account: string; // 'user:<accountId>', 'wallet:<hex>', 'merchant:<id>', 'hold:<hex>', 'platform:<name>'
  amount: number; // signed minor units; the entries of one transaction sum to zero
}

/** Per account, the sum of its entries (core 0006), kept by a trigger on ledger_entries. */
export interface LedgerBalancesTable {
  account: string;
  balance: number;
}

export const AUDIT_ACTOR_KINDS = ['operator', 'wallet', 'terminal', 'system', 'anonymous'] as const;
export type AuditActorKind = (typeof AUDIT_ACTOR_KINDS)[number];
export const AUDIT_OUTCOMES = ['ok', 'denied', 'failed'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export interface AuditLogTable {
  id: Serial;
  at: number;
  actor_kind: AuditActorKind;
  actor_id: string | null;
  action: string;
  subject: string | null;
  outcome: AuditOutcome;
  remote_address: string | null;
  detail: Json<Record<string, unknown>>;
}

export interface OperatorTokensTable {
  token_id: string; // 16 hex chars, the public half of the token
  token_hash: Uint8Array; // sha256 of the secret half
  label: string;
  created_at: number;
  revoked_at: number | null;
  /** 'bootstrap': the one-time token printed at a first start; it only creates an operator token. */
  scope: OperatorTokenScope;
}

export type OperatorTokenScope = 'operator' | 'bootstrap';

export interface RequestNoncesTable {
  caller_kind: 'wallet' | 'terminal';
  caller_id: string;
  nonce: Uint8Array;
  /** After this time the request's clock window has closed, so the nonce can be forgotten. */
  expires_at: number;
}

export interface AttemptFailuresTable {
  limiter: string; // which check, e.g. 'unlock'
  scope: string; // 'wallet', 'address', ...
  subject: string; // the wallet id, the address, ...
  window_start: number;
  failures: number;
}

export interface PlatformDatabase {
  platform_keys: PlatformKeysTable;
  accounts: AccountsTable;
  merchants: MerchantsTable;
  terminals: TerminalsTable;
  wallets: WalletsTable;
  ledger_transactions: LedgerTransactionsTable;
  ledger_entries: LedgerEntriesTable;
  ledger_balances: LedgerBalancesTable;
  audit_log: AuditLogTable;
  operator_tokens: OperatorTokensTable;
  request_nonces: RequestNoncesTable;
  attempt_failures: AttemptFailuresTable;
}

export type Account = Selectable<AccountsTable>;
export type NewAccount = Insertable<AccountsTable>;
export type Wallet = Selectable<WalletsTable>;
export type NewWallet = Insertable<WalletsTable>;
export type WalletUpdate = Updateable<WalletsTable>;
export type Terminal = Selectable<TerminalsTable>;
export type NewTerminal = Insertable<TerminalsTable>;
export type Merchant = Selectable<MerchantsTable>;
