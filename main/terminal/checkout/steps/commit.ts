/** Storing what a tap established: the payment (before "approved"), or the evidence. */
import { sha256, type PaymentRecord, type Signed } from '../../../../protocol';
import type { PaymentRow } from '../../../../db/rows';
import type { DeclineCode } from '../../../../preload/contract/declines';
import type { EvidenceKind } from '../../verify';
import type { TapContext } from '../tap-context';
import { checkOf } from '../step-labels';

/** What the commit step says once the payment has its place in the chain. */
export const commitDetail = (row: PaymentRow): string => `chain entry ${row.chainSeq}`;

/** The same record (counter and body) already in the ledger: the same payment. */
export function alreadyStored(ctx: TapContext, record: Signed<PaymentRecord>): boolean {
  const row = ctx.ledger.payment(record.value.walletId, record.value.counter);
  return row !== undefined && row.bodyHash.equals(sha256(record.body));
}

/**
 * Commits the payment, the checks that approved it (the steps so far and this commit) and
 * the end of its pending request durably, in one transaction; returns its row.
 */
export function commitRecord(
  ctx: TapContext,
  record: Signed<PaymentRecord>,
  stored: boolean,
): PaymentRow {
  if (stored) {
    ctx.ledger.resolvePending(record.value.nonce, 'completed', ctx.now);
    return ctx.ledger.payment(record.value.walletId, record.value.counter) as PaymentRow;
  }
  return ctx.ledger.completePending(record, ctx.now, (row) =>
    [...ctx.steps, { step: 'commit' as const, ok: true, detail: commitDetail(row) }].map(checkOf),
  );
}

/**
 * A genuine record above this terminal's own caps is stored and voided (settlement
 * refunds the wallet); a clone's record is kept as evidence, never paid here.
 */
export function keepEvidence(
  ctx: TapContext,
  evidence: { kind: EvidenceKind; record: Signed<PaymentRecord> },
  code: DeclineCode,
): void {
  if (evidence.kind === 'void') ctx.ledger.appendVoidedPayment(evidence.record, ctx.now);
  else ctx.ledger.addEvidence(evidence.record, code, ctx.now);
}
