/**
 * The ledger's hash chain, exactly as docs/protocol.md section 3 defines `chainHead`: from
 * 32 zero bytes, each stored entry moves the head to SHA-256(head ‖ entryHash), where a
 * payment's entryHash is SHA-256(record body) and a void's is SHA-256(void entry TLV).
 */
import { SettlementBatch, sha256, type VoidEntry } from '../protocol';
import type { Element } from '../protocol/codec/elements';

export const GENESIS_HEAD: Buffer = Buffer.alloc(32);

/** The void item of a batch's `voids` list (tag FF06), taken from the batch schema itself. */
const voidEntryElement = SettlementBatch.body.children?.voids?.children?.item as
  Element<VoidEntry> | undefined;
if (voidEntryElement?.tag !== 0xff06) throw new Error('settlement-batch void entry is not FF06');

export function paymentEntryHash(recordBody: Uint8Array): Buffer {
  return Buffer.from(sha256(recordBody));
}

/**
 * The void's canonical TLV begins with FF where a record body begins with E4, so the two
 * hashes cover different bytes and one kind of entry never stands for the other.
 */
export function voidEntryHash(entry: VoidEntry): Buffer {
  return Buffer.from(sha256(voidEntryElement!.write(entry, 'void')));
}

export function nextHead(head: Uint8Array, entryHash: Uint8Array): Buffer {
  return Buffer.from(sha256(head, entryHash));
}
