/**
 * 7.2 step 6, S11: a request this terminal sent to this wallet and never got the answer
 * to. READ LOG shows whether the wallet signed it: a record with the request's nonce,
 * checked as a fresh one, completes that earlier sale (never a second payment); none
 * means the request was never signed, and it is dropped. Requests older than a day are
 * dropped unread.
 */
import {
  decodePaymentLog,
  MAX_LOG_RECORDS,
  PaymentRequest,
  readLogCommand,
  SW,
  type PaymentRecord,
  type Signed,
  type WalletCertificate,
} from '../../../../protocol';
import type { PendingRequest } from '../../../../db/pending';
import { checkRecord, declineForStatus, hex, sameBytes, tryDecode } from '../../verify';
import { exchange, fail, passed, type TapContext, type TapOutcome } from '../tap-context';
import { alreadyStored, commitRecord, keepEvidence } from './commit';

/** How long a pending request is kept for its wallet to tap again (7.2 step 9). */
export const PENDING_LIFETIME_SECONDS = 86_400;

export async function resolveTornTaps(
  ctx: TapContext,
  walletId: Uint8Array,
  certificate: Signed<WalletCertificate>,
): Promise<TapOutcome | undefined> {
  const live = ctx.ledger.pendingFor(walletId).filter((pending) => {
    if (ctx.now - pending.createdAt <= PENDING_LIFETIME_SECONDS) return true;
    ctx.ledger.resolvePending(pending.nonce, 'abandoned', ctx.now);
    return false;
  });
  if (live.length === 0) return undefined;

  const answer = await exchange(ctx, readLogCommand(MAX_LOG_RECORDS), 'before_pay');
  if (answer.sw !== SW.ok) fail(ctx, 'torn_tap', declineForStatus(answer.sw, 'READ LOG'));
  const log = tryDecode(
    () => decodePaymentLog(answer.data, MAX_LOG_RECORDS),
    'the READ LOG answer',
  );
  if (!log.ok) fail(ctx, 'torn_tap', log);
  const records = log.value;

  let current: TapOutcome | undefined;
  const details: string[] = [];
  for (const pending of live) {
    const record = records.find((r) => sameBytes(r.value.nonce, pending.nonce));
    const outcome = resolveOne(ctx, pending, record, certificate, details);
    if (outcome !== undefined) current = outcome;
  }
  passed(ctx, 'torn_tap', details.join('; '));
  return current;
}

/** One pending request; an outcome only when it belongs to the sale in progress. */
function resolveOne(
  ctx: TapContext,
  pending: PendingRequest,
  record: Signed<PaymentRecord> | undefined,
  certificate: Signed<WalletCertificate>,
  details: string[],
): TapOutcome | undefined {
  const nonceHex = hex(pending.nonce);
  const owner = ctx.requestOwner.get(nonceHex);
  const mine = owner === ctx.sale.id;
  if (record === undefined) {
    ctx.ledger.resolvePending(pending.nonce, 'abandoned', ctx.now);
    details.push(`request ${nonceHex} was never signed: dropped`);
    return undefined;
  }
  const request = PaymentRequest.decode(pending.request).value;
  const checked = checkRecord(record.encoded, {
    request,
    certificate: certificate.value,
    parameters: ctx.setup.parameters,
    tokenCounter: undefined,
    highestSeen: ctx.ledger.highestCounter(record.value.walletId),
    alreadyStored: (r) => alreadyStored(ctx, r),
  });
  if (checked.ok) {
    const payment = commitRecord(ctx, checked.record, checked.alreadyStored);
    details.push(`request ${nonceHex} completed with counter ${record.value.counter}`);
    if (mine) return { kind: 'approved', payment, record: checked.record, completedTornTap: true };
    ctx.onRecovered(payment, checked.record, owner);
    return undefined;
  }
  if (checked.evidence) {
    keepEvidence(ctx, checked.evidence, checked.code);
    details.push(`request ${nonceHex}: ${checked.detail} (kept as ${checked.evidence.kind})`);
    return mine ? { kind: 'declined', code: checked.code, detail: checked.detail } : undefined;
  }
  // Not the wallet's signature: the request stays pending until it expires.
  details.push(`request ${nonceHex}: ${checked.detail}`);
  return undefined;
}
