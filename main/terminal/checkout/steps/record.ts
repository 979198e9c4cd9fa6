/**
 * 7.2 step 10: the record PAY answered, checked, then stored durably BEFORE the checkout
 * announces "approved". A record that verifies but fails a check is kept (evidence or a
 * voided payment); one that does not verify leaves the request pending, so the wallet's
 * next tap resolves it from its log.
 */
import type {
  FreshnessToken,
  PaymentRequest,
  Signed,
  WalletCertificate,
} from '../../../../protocol';
import { checkRecord } from '../../verify';
import { fail, passed, type TapContext, type TapOutcome } from '../tap-context';
import { alreadyStored, commitDetail, commitRecord, keepEvidence } from './commit';

export function verifyAndCommit(
  ctx: TapContext,
  answer: Uint8Array,
  request: Signed<PaymentRequest>,
  certificate: Signed<WalletCertificate>,
  token: Signed<FreshnessToken>,
): TapOutcome {
  const checked = checkRecord(answer, {
    request: request.value,
    certificate: certificate.value,
    parameters: ctx.setup.parameters,
    tokenCounter: token.value.counter,
    highestSeen: ctx.ledger.highestCounter(certificate.value.walletId),
    alreadyStored: (record) => alreadyStored(ctx, record),
  });
  if (!checked.ok) {
    if (checked.evidence) keepEvidence(ctx, checked.evidence, checked.code);
    const kept = checked.evidence
      ? ` (the signed record is kept: ${checked.evidence.kind === 'void' ? 'stored and voided' : 'evidence for settlement'})`
      : '';
    fail(ctx, 'record', { ...checked, detail: `${checked.detail}${kept}` });
  }
  passed(ctx, 'record', `counter ${checked.record.value.counter}`);
  const payment = commitRecord(ctx, checked.record, checked.alreadyStored);
  passed(ctx, 'commit', commitDetail(payment));
  return { kind: 'approved', payment, record: checked.record, completedTornTap: false };
}
