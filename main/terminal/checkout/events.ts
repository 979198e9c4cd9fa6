/**
 * What the checkout tells the screens. `checkout.state` at every state change of a sale,
 * carrying the steps of the tap done so far (the history screen shows them);
 * `checkout.recovered` when a tap completes an EARLIER sale's torn payment (S11) that was
 * not the sale in progress. Money in integer minor units; times in unix seconds of the
 * terminal's clock; byte strings in lower-case hex.
 */
import type { DeclineAction, DeclineCode } from '../../../preload/contract/declines';

export type CheckoutState =
  | 'idle' // no sale on this reader
  | 'awaiting_tap'
  | 'reading'
  | 'verifying'
  | 'approved'
  | 'declined'
  | 'torn' // the card left after PAY was sent: the sale waits for the same wallet again
  | 'cancelled';

/** The steps of docs/protocol.md 7.2, as the checkout runs them. */
export type TapStepName =
  | 'ready' // certificate valid, hotlist fresh enough
  | 'select' // the FCI: a Tapsafe wallet, protocol version 1
  | 'hotlist' // not revoked (a revoked one is handed its notices)
  | 'wallet_state'
  | 'present_certificate'
  | 'certificate' // the wallet certificate: issuer key, signature, walletId
  | 'torn_tap' // READ LOG for a request this wallet left unanswered
  | 'certificate_for_payment' // validity, currency, per-payment limit
  | 'freshness'
  | 'velocity' // this terminal's own limits
  | 'pay'
  | 'record'
  | 'commit';

export interface TapStep {
  readonly step: TapStepName;
  readonly ok: boolean;
  readonly detail?: string;
}

export interface ApprovedPayment {
  readonly walletId: string;
  readonly counter: number;
  readonly amount: number;
  readonly currency: number;
  readonly terminalTime: number;
  readonly nonce: string;
  readonly balanceAfter: number;
  readonly offlineCount: number;
  readonly offlineAmount: number;
  /** Position of the payment in the ledger's hash chain. */
  readonly chainSeq: number;
  /** True when the record was read from the wallet's log (a torn tap completed). */
  readonly completedTornTap: boolean;
}

export interface CheckoutDecline {
  readonly code: DeclineCode;
  readonly detail: string;
  /** English wording and the next action (preload/contract/declines.ts). */
  readonly message: string;
  readonly action: DeclineAction;
}

export interface CheckoutStateEvent {
  readonly saleId: string;
  /** The reader asked for (undefined: any), or the one the card was tapped on. */
  readonly readerName: string | undefined;
  readonly state: CheckoutState;
  readonly amount: number;
  readonly currency: number;
  /** Why this state, in words (e.g. "card removed: tap again"). */
  readonly reason: string | undefined;
  readonly decline: CheckoutDecline | undefined;
  readonly payment: ApprovedPayment | undefined;
  /** The steps of the current tap so far (empty while awaiting a tap). */
  readonly steps: readonly TapStep[];
  readonly at: number;
}

export interface CheckoutRecoveredEvent {
  /** The sale that sent the request, when this run of the terminal knows it. */
  readonly saleId: string | undefined;
  /** The sale during whose tap it was completed. */
  readonly duringSaleId: string;
  readonly payment: ApprovedPayment;
  readonly at: number;
}

export interface CheckoutEvents {
  'checkout.state': CheckoutStateEvent;
  'checkout.recovered': CheckoutRecoveredEvent;
}

export type CheckoutPublish = <E extends keyof CheckoutEvents>(
  event: E,
  payload: CheckoutEvents[E],
) => void;
