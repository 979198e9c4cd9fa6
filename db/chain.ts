/**
 * The ledger's own hash chain over every entry in the order stored (payments and voids
 * interleaved), with the entry hashes of docs/protocol.md section 3: it lets the terminal
 * find an edited, deleted or reordered row on its own disk. The chain the platform checks
 * (a batch's `chainHead`) is protocol/'s batchChainHead over the same entry hashes.
 */
import {
  CHAIN_GENESIS,
  chainStep,
  paymentChainHash,
  voidChainHash,
  type VoidEntry,
} from '../protocol';

export const GENESIS_HEAD: Buffer = Buffer.from(CHAIN_GENESIS);

export function paymentEntryHash(recordBody: Uint8Array): Buffer {
  return Buffer.from(paymentChainHash(recordBody));
}

export function voidEntryHash(entry: VoidEntry): Buffer {
  return Buffer.from(voidChainHash(entry));
}

export function nextHead(head: Uint8Array, entryHash: Uint8Array): Buffer {
  return Buffer.from(chainStep(head, entryHash));
}
