/** Table types of the settlement unit (migrations 0500-0503). */
import type { Generated } from 'kysely';
export interface SettlementBatchesTable {
  batch_id: Uint8Array;
  terminal_id: string;
  merchant_id: string;
  /** SHA-256 of the signed batch body: same id with another hash is a conflict. */
  body_hash: Uint8Array;
  envelope: Uint8Array;
  status: 'settled';
  record_count: number;
  /** The result's totalCredited: credited records minus voids of this batch's own records. */
  total_credited: number;
  /** Voids this batch applied to payments of earlier batches: debited from the merchant. */
  voids_debited: Generated<number>;
  received_at: number;
  settled_at: number;
  /** The signed SettlementResult envelope, returned again for a repeated upload. */
  result: Uint8Array;
}

export type PaymentStatus = 'accepted' | 'double_spend';
/** Who paid for an honoured record: its wallet's account, or the platform (lost report). */
export type PaymentLiability = 'wallet' | 'platform';

export interface SettlementPaymentsTable {
  wallet_id: Uint8Array;
  counter: number;
  body_hash: Uint8Array;
  batch_id: Uint8Array;
  amount: number;
  merchant_id: string;
  terminal_id: string;
  terminal_time: number;
  status: PaymentStatus;
  liability: Generated<PaymentLiability>;
}

export interface SettlementDoubleSpendsTable {
  wallet_id: Uint8Array;
  counter: number;
  body_hash: Uint8Array;
  /** The signed PaymentRecord envelope as the terminal uploaded it. */
  record: Uint8Array;
  batch_id: Uint8Array;
  terminal_id: string;
  amount: number;
  /** Whether the merchant was paid for it (from platform:double_spend_loss). */
  honoured: boolean;
  flagged_at: number;
}

export interface SettlementVoidsTable {
  wallet_id: Uint8Array;
  counter: number;
  batch_id: Uint8Array;
  amount: number;
  voided_at: number;
}

/** Per terminal: the head its next batch must continue, and its last refusal (0503). */
export interface SettlementChainsTable {
  terminal_id: string;
  /** The `chainHead` of the last accepted batch; 32 zero bytes before the first. */
  head: Uint8Array;
  last_batch_id: Uint8Array | null;
  updated_at: number;
  /** The last batch refused `chain_broken` came after the last accepted one. */
  broken: Generated<boolean>;
  /** Batches refused `chain_broken` for this terminal, ever. */
  refusals: Generated<number>;
  refused_batch_id: Uint8Array | null;
  /** The `chainHead` the last refused batch carried. */
  refused_head: Uint8Array | null;
  refused_at: number | null;
}

declare module '../db/schema' {
  interface PlatformDatabase {
    settlement_batches: SettlementBatchesTable;
    settlement_payments: SettlementPaymentsTable;
    settlement_double_spends: SettlementDoubleSpendsTable;
    settlement_voids: SettlementVoidsTable;
    settlement_chains: SettlementChainsTable;
  }
}
