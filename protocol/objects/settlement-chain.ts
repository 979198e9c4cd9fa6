/**
 * The settlement chain (docs/protocol.md section 3, `chainHead`): what makes a terminal's
 * ledger tamper-evident beyond its own disk. From 32 zero bytes at enrollment, each batch
 * moves the head over its records in batch order, then its voids in batch order; each entry
 * moves it to SHA-256(head ‖ h). The platform recomputes it from the terminal's last
 * accepted head, so a batch edited, dropped, reordered or skipped breaks the chain.
 */
import { sha256 } from '../crypto/ecdsa';
import type { Element } from '../codec/elements';
import { SettlementBatch, type VoidEntry } from './settlement';
import type { Signed } from './signed';
import type { PaymentRecord } from './wallet';

/** The head before a terminal's first entry. */
export const CHAIN_GENESIS: Uint8Array = new Uint8Array(32);

/** The void item of a batch's `voids` list (tag FF06), taken from the batch schema itself. */
const voidEntryElement = SettlementBatch.body.children?.voids?.children?.item as
  Element<VoidEntry> | undefined;
if (voidEntryElement?.tag !== 0xff06) throw new Error('settlement-batch void entry is not FF06');

/** h of a payment: SHA-256 of the record's body (tag E4) exactly as the wallet signed it. */
export function paymentChainHash(recordBody: Uint8Array): Uint8Array {
  return sha256(recordBody);
}

/**
 * h of a void: SHA-256 of its canonical FF06 TLV. A body begins with E4 and a void with FF,
 * so one kind of entry never stands for the other.
 */
export function voidChainHash(entry: VoidEntry): Uint8Array {
  return sha256(voidEntryElement!.write(entry, 'void'));
}

export function chainStep(head: Uint8Array, entryHash: Uint8Array): Uint8Array {
  return sha256(head, entryHash);
}

/** The head after a batch's entries (records first, then voids), continuing `previous`. */
export function batchChainHead(
  previous: Uint8Array,
  records: readonly Pick<Signed<PaymentRecord>, 'body'>[],
  voids: readonly VoidEntry[],
): Uint8Array {
  let head = previous;
  for (const record of records) head = chainStep(head, paymentChainHash(record.body));
  for (const entry of voids) head = chainStep(head, voidChainHash(entry));
  return head;
}
