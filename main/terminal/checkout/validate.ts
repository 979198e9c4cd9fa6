/** A sale is refused before any tap is awaited when its amount or currency cannot be paid. */
import type { TerminalSetup } from '../model';
import { TerminalError } from '../errors';
import { checkReady } from '../verify';

export interface StartSale {
  /** Integer minor units, ≥ 1 and ≤ the terminal's limit per payment. */
  readonly amount: number;
  /** ISO 4217 numeric; must be the terminal's currency. */
  readonly currency: number;
  /** The reader to take the tap on; undefined: the first card on any reader. */
  readonly readerName?: string | undefined;
}

export type SetupSource = () => TerminalSetup | { readonly notReady: string };

/** The setup in force, or `terminal_not_ready`. */
export function readySetup(
  source: SetupSource,
  now: number,
  ledger: { readonly startup: { readonly ok: boolean } },
): TerminalSetup {
  // The ledger's start-up checks (integrity, hash chain) must have passed: a payment is
  // approved only once it is on a disk the terminal trusts.
  if (!ledger.startup.ok) {
    throw new TerminalError(
      'terminal_not_ready',
      'The terminal cannot take payments: the ledger failed its start-up checks.',
    );
  }
  const setup = source();
  if ('notReady' in setup) {
    throw new TerminalError(
      'terminal_not_ready',
      `The terminal cannot take payments: ${setup.notReady}`,
    );
  }
  const ready = checkReady(setup, now);
  if (!ready.ok)
    throw new TerminalError(
      'terminal_not_ready',
      `The terminal cannot take payments: ${ready.detail}`,
    );
  return setup;
}

export function validateSale(input: StartSale, setup: TerminalSetup): void {
  const { amount, currency, readerName } = input;
  const { parameters } = setup;
  if (!Number.isSafeInteger(amount) || amount < 1) {
    throw new TerminalError(
      'invalid_amount',
      'The amount must be a whole number of minor units (cents), at least 1.',
      { amount },
    );
  }
  if (!Number.isInteger(currency) || currency !== parameters.currency) {
    throw new TerminalError(
      'wrong_currency',
      `This terminal charges in currency ${parameters.currency} only.`,
      { currency, expected: parameters.currency },
    );
  }
  if (amount > parameters.limitPerPayment) {
    throw new TerminalError(
      'amount_over_limit',
      `The amount is above this terminal's limit of ${parameters.limitPerPayment} per payment.`,
      { amount, limit: parameters.limitPerPayment },
    );
  }
  if (readerName !== undefined && (typeof readerName !== 'string' || readerName.length === 0)) {
    throw new TerminalError('invalid_reader', 'The reader name must be a non-empty string.');
  }
}
