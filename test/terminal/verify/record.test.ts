/**
 * The payment record: signature, walletId, the six echoed fields, counter, the
 * certificate's and the terminal's limits. What verifies but fails is kept as evidence.
 */
import { describe, expect, it } from 'vitest';
import { checkRecord, type RecordContext } from '../../../main/terminal/verify';
import { strangerKey } from '../../handset/support/platform';
import {
  nonCanonical,
  OTHER_WALLET_ID,
  parameters,
  paymentRecord,
  paymentRequest,
  walletCertificate,
} from '../support/world';

const request = paymentRequest();
const context = (overrides: Partial<RecordContext> = {}): RecordContext => ({
  request,
  certificate: walletCertificate().value,
  parameters,
  tokenCounter: 4,
  highestSeen: undefined,
  alreadyStored: () => false,
  ...overrides,
});

describe('checkRecord', () => {
  it('accepts the honest record of the request', () => {
    const record = paymentRecord(request);
    expect(checkRecord(record.encoded, context())).toMatchObject({
      ok: true,
      alreadyStored: false,
    });
  });

  it('declines record_invalid for a record not signed by the wallet key (nothing kept)', () => {
    const checked = checkRecord(paymentRecord(request, {}, strangerKey).encoded, context());
    expect(checked).toMatchObject({ ok: false, code: 'record_invalid' });
    expect(checked.ok || checked.evidence).toBeUndefined();
  });

  it('declines wallet_mismatch for a record naming another wallet', () => {
    const record = paymentRecord(request, { walletId: OTHER_WALLET_ID });
    expect(checkRecord(record.encoded, context())).toMatchObject({ code: 'wallet_mismatch' });
  });

  it.each([
    ['amount', { amount: 1_251 }],
    ['currency', { currency: 156 }],
    ['merchantId', { merchantId: 'M-0002' }],
    ['terminalId', { terminalId: 'T-0001-02' }],
    ['terminalTime', { terminalTime: request.terminalTime - 1 }],
    ['nonce', { nonce: new Uint8Array(16) }],
  ])('declines echo_mismatch when %s differs from the request', (field, change) => {
    const checked = checkRecord(paymentRecord(request, change).encoded, context());
    expect(checked).toMatchObject({ ok: false, code: 'echo_mismatch' });
    expect(!checked.ok && checked.detail).toContain(field);
  });

  it("declines replayed_counter (kept as clone evidence) at or below the token's counter", () => {
    const record = paymentRecord(request, { counter: 4 });
    const checked = checkRecord(record.encoded, context());
    expect(checked).toMatchObject({ ok: false, code: 'replayed_counter' });
    expect(!checked.ok && checked.evidence?.kind).toBe('clone');
  });

  it('declines replayed_counter at or below the highest counter this terminal saw', () => {
    const record = paymentRecord(request, { counter: 9 });
    expect(checkRecord(record.encoded, context({ highestSeen: 9 }))).toMatchObject({
      code: 'replayed_counter',
      evidence: { kind: 'clone' },
    });
    expect(checkRecord(record.encoded, context({ highestSeen: 8 })).ok).toBe(true);
  });

  it('accepts the same record already stored as the same payment, not a replay', () => {
    const record = paymentRecord(request, { counter: 9 });
    const checked = checkRecord(
      record.encoded,
      context({ highestSeen: 9, alreadyStored: () => true }),
    );
    expect(checked).toMatchObject({ ok: true, alreadyStored: true });
  });

  it("declines over the certificate's offline count and amount as clone evidence", () => {
    const count = paymentRecord(request, { offlineCount: 11 });
    expect(checkRecord(count.encoded, context())).toMatchObject({
      code: 'over_offline_count',
      evidence: { kind: 'clone' },
    });
    const amount = paymentRecord(request, { offlineAmount: 20_001 });
    expect(checkRecord(amount.encoded, context())).toMatchObject({
      code: 'over_offline_amount',
      evidence: { kind: 'clone' },
    });
  });

  it("declines over the certificate's per-payment limit as clone evidence", () => {
    const big = paymentRequest({ amount: 6_000 });
    const record = paymentRecord(big);
    expect(checkRecord(record.encoded, context({ request: big }))).toMatchObject({
      code: 'over_payment_limit',
      evidence: { kind: 'clone' },
    });
  });

  it("declines over the terminal's own caps as a genuine record to void", () => {
    const tight = { ...parameters, limitOfflineCount: 2, limitOfflineAmount: 3_000 };
    const count = paymentRecord(request, { offlineCount: 3 });
    expect(checkRecord(count.encoded, context({ parameters: tight }))).toMatchObject({
      code: 'over_offline_count',
      evidence: { kind: 'void' },
    });
    const amount = paymentRecord(request, { offlineAmount: 3_001 });
    expect(checkRecord(amount.encoded, context({ parameters: tight }))).toMatchObject({
      code: 'over_offline_amount',
      evidence: { kind: 'void' },
    });
    const perPayment = { ...parameters, limitPerPayment: 1_000 };
    expect(
      checkRecord(paymentRecord(request).encoded, context({ parameters: perPayment })),
    ).toMatchObject({ code: 'over_payment_limit', evidence: { kind: 'void' } });
  });

  it("declines currency_mismatch for a record in another currency than the certificate's", () => {
    const yuan = paymentRequest({ currency: 156 });
    const record = paymentRecord(yuan);
    expect(checkRecord(record.encoded, context({ request: yuan }))).toMatchObject({
      code: 'currency_mismatch',
      evidence: { kind: 'clone' },
    });
  });

  it('declines malformed_answer for non-canonical TLV', () => {
    const record = paymentRecord(request);
    expect(checkRecord(nonCanonical(record.encoded), context())).toMatchObject({
      code: 'malformed_answer',
    });
  });
});
