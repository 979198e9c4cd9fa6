/**
 * 7.2 steps 7–9: a wallet that may pay (active, certificate valid here, fresh enough,
 * within this terminal's velocity), then PAY with the request stored durably as pending
 * BEFORE it is sent, so a card that leaves with the answer is resolved at its next tap.
 */
import type { FreshnessToken } from '../../../../protocol';
import {
  payCommand,
  PaymentRequest,
  readFreshnessCommand,
  SW,
  type Fci,
  type Signed,
  type WalletCertificate,
} from '../../../../protocol';
import {
  checkAmountForWallet,
  checkCertificateForPayment,
  checkFreshness,
  checkVelocity,
  checkWalletState,
  DAY_SECONDS,
  declineForStatus,
  hex,
  HOUR_SECONDS,
} from '../../verify';
import { exchange, fail, passed, step, type TapContext } from '../tap-context';

/** The nonce of a payment request: 16 bytes from a cryptographic random generator. */
export const NONCE_SIZE = 16;
const REQUEST_OWNERS_KEPT = 1_000;

export function checkMayPay(ctx: TapContext, fci: Fci, certificate: WalletCertificate): void {
  step(ctx, 'wallet_state', checkWalletState(fci, 'payment'));
  const forPayment = checkCertificateForPayment(certificate, {
    now: ctx.now,
    parameters: ctx.setup.parameters,
  });
  step(
    ctx,
    'certificate_for_payment',
    forPayment.ok
      ? checkAmountForWallet(ctx.sale.amount, certificate, ctx.setup.parameters)
      : forPayment,
  );
}

export async function readFreshness(
  ctx: TapContext,
  walletId: Uint8Array,
): Promise<Signed<FreshnessToken>> {
  const answer = await exchange(ctx, readFreshnessCommand(), 'before_pay');
  if (answer.sw !== SW.ok)
    fail(ctx, 'freshness', declineForStatus(answer.sw, 'READ FRESHNESS TOKEN'));
  const { token } = step(
    ctx,
    'freshness',
    checkFreshness(answer.data, {
      trustKeys: ctx.setup.trustKeys,
      parameters: ctx.setup.parameters,
      now: ctx.now,
      walletId,
    }),
  );
  return token;
}

export function checkTerminalVelocity(ctx: TapContext, walletId: Uint8Array): void {
  const activity = {
    lastHour: ctx.ledger.walletActivity(walletId, ctx.now - HOUR_SECONDS + 1),
    lastDay: ctx.ledger.walletActivity(walletId, ctx.now - DAY_SECONDS + 1),
  };
  step(ctx, 'velocity', checkVelocity(ctx.sale.amount, activity, ctx.velocity));
}

/** Signs the request, stores it as pending, sends PAY; resolves with the answer's data. */
export async function sendPay(
  ctx: TapContext,
  walletId: Uint8Array,
): Promise<{ request: Signed<PaymentRequest>; data: Uint8Array }> {
  const { identity, parameters } = ctx.setup;
  const request = PaymentRequest.sign(
    {
      amount: ctx.sale.amount,
      currency: parameters.currency,
      merchantId: identity.merchantId,
      terminalId: identity.terminalId,
      terminalTime: ctx.now,
      nonce: ctx.random(NONCE_SIZE),
    },
    identity.signer,
  );
  ctx.ledger.addPending({
    nonce: request.value.nonce,
    request: request.encoded,
    amount: request.value.amount,
    at: ctx.now,
    walletId,
  });
  ctx.requestOwner.set(hex(request.value.nonce), ctx.sale.id);
  // Only for naming the sale in `checkout.recovered`; the ledger is what resolves requests.
  if (ctx.requestOwner.size > REQUEST_OWNERS_KEPT) {
    ctx.requestOwner.delete(ctx.requestOwner.keys().next().value as string);
  }
  const answer = await exchange(ctx, payCommand(request.encoded), 'after_pay');
  if (answer.sw !== SW.ok) {
    // A refused PAY signs nothing: the request will never be answered.
    ctx.ledger.resolvePending(request.value.nonce, 'abandoned', ctx.now);
    fail(ctx, 'pay', declineForStatus(answer.sw, 'PAY'));
  }
  passed(ctx, 'pay', `request ${hex(request.value.nonce)} answered`);
  return { request, data: answer.data };
}
