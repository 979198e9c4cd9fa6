/**
 * What one tap works with, and how a step ends it early: a step that declines (or finds
 * the card gone) throws a TapStop carrying the outcome, so the steps read top to bottom in
 * docs/protocol.md 7.2's order.
 */
import type { PaymentRecord, ResponseApdu, Signed } from '../../../protocol';
import type { LedgerStore } from '../../../db/ledger-store';
import type { PaymentRow } from '../../../db/rows';
import type { DeclineCode } from '../../../preload/contract/declines';
import type { TerminalSetup } from '../model';
import { ReaderError, type CardInField } from '../reader/reader';
import type { Checked, Decline, VelocityLimits } from '../verify';
import type { TapStep, TapStepName } from './events';

export interface Sale {
  readonly id: string;
  readonly amount: number;
  readonly currency: number;
}

export type TapOutcome =
  | {
      readonly kind: 'approved';
      readonly payment: PaymentRow;
      readonly record: Signed<PaymentRecord>;
      readonly completedTornTap: boolean;
    }
  | { readonly kind: 'declined'; readonly code: DeclineCode; readonly detail: string }
  /** The card left before PAY was sent: nothing is owed, the sale waits for a tap. */
  | { readonly kind: 'card_left'; readonly detail: string }
  /** The card left (or the reader failed) after PAY was sent: the request stays pending. */
  | { readonly kind: 'torn'; readonly detail: string };

export class TapStop extends Error {
  constructor(readonly outcome: TapOutcome) {
    super(outcome.kind);
  }
}

export interface TapContext {
  readonly card: CardInField;
  readonly setup: TerminalSetup;
  /** The terminal's clock at the tap, for every check and the request's terminalTime. */
  readonly now: number;
  readonly ledger: LedgerStore;
  readonly sale: Sale;
  readonly velocity: VelocityLimits;
  readonly random: (size: number) => Uint8Array;
  /** The steps done so far; the state events carry a copy. */
  readonly steps: TapStep[];
  /** Which sale sent a pending request (by nonce hex), as far as this run knows. */
  readonly requestOwner: Map<string, string>;
  /** PAY answered: the checkout announces `verifying`. */
  onVerifying(): void;
  /** A pending request of another sale was completed during this tap. */
  onRecovered(payment: PaymentRow, record: Signed<PaymentRecord>, saleId: string | undefined): void;
}

/** Records a step's result; a decline stops the tap with it. */
export function step<T extends object>(
  ctx: TapContext,
  name: TapStepName,
  checked: Checked<T>,
): { ok: true } & T {
  if (!checked.ok) fail(ctx, name, checked);
  ctx.steps.push({ step: name, ok: true });
  return checked;
}

/** Records a failed step and stops the tap with its decline. */
export function fail(ctx: TapContext, name: TapStepName, failed: Decline): never {
  ctx.steps.push({ step: name, ok: false, detail: failed.detail });
  throw new TapStop({ kind: 'declined', code: failed.code, detail: failed.detail });
}

/** Records a step that passed, with what it found. */
export function passed(ctx: TapContext, name: TapStepName, detail?: string): void {
  ctx.steps.push(
    detail === undefined ? { step: name, ok: true } : { step: name, ok: true, detail },
  );
}

/**
 * One command to the card. Before PAY a card that leaves just ends the tap (`card_left`);
 * once PAY was sent any failure leaves the answer unknown, so the tap is `torn`.
 */
export async function exchange(
  ctx: TapContext,
  command: Uint8Array,
  phase: 'before_pay' | 'after_pay',
): Promise<ResponseApdu> {
  try {
    return await ctx.card.exchange(command);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    if (phase === 'after_pay') throw new TapStop({ kind: 'torn', detail });
    if (
      error instanceof ReaderError &&
      (error.code === 'card_removed' || error.code === 'no_card')
    ) {
      throw new TapStop({ kind: 'card_left', detail });
    }
    throw new TapStop({ kind: 'declined', code: 'card_error', detail });
  }
}
