/** Rows of the ledger as the store returns them (column names in camelCase). */
export type PaymentStatus = 'approved' | 'voided' | 'settled';

export interface PaymentRow {
  id: number;
  walletId: Buffer;
  counter: number;
  amount: number;
  currency: number;
  merchantId: string;
  terminalId: string;
  terminalTime: number;
  nonce: Buffer;
  /** The signed envelope exactly as the wallet sent it. */
  record: Buffer;
  bodyHash: Buffer;
  status: PaymentStatus;
  batchId: Buffer | null;
  chainSeq: number;
  chainHash: Buffer;
  createdAt: number;
}

export interface VoidRow {
  id: number;
  paymentId: number;
  walletId: Buffer;
  counter: number;
  amount: number;
  voidedAt: number;
  entryHash: Buffer;
  batchId: Buffer | null;
  chainSeq: number;
  chainHash: Buffer;
}

export interface ChainTip {
  /** Entries in the chain (0 before the first). */
  seq: number;
  head: Buffer;
}
