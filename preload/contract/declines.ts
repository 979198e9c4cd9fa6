/**
 * Why a sale was declined, as a code every side shares: the checkout decides it, the screens
 * say it in the cashier's language and show what to do next. `DECLINE_REASONS` holds the
 * English wording; translations key on the code.
 */

/** What the cashier should do next, so every decline screen ends in one clear action. */
export type DeclineAction =
  | 'other_payment' // ask for another means of payment
  | 'tap_again' // let the customer tap again (hold the phone still)
  | 'customer_sync' // the customer should take the phone online (sync) and tap again
  | 'customer_unlock' // the customer must have the wallet unlocked by the platform
  | 'lower_amount' // ring up a smaller amount or split the sale
  | 'terminal_sync' // the terminal must go online (hotlist, certificate, keys)
  | 'call_support'; // a fault of this terminal: call the merchant's support

export const DECLINE_CODES = [
  'not_a_wallet',
  'unsupported_wallet',
  'revoked',
  'wallet_not_activated',
  'wallet_locked',
  'wallet_temp_locked',
  'wallet_disabled',
  'wallet_wiped',
  'unknown_issuer',
  'certificate_invalid',
  'certificate_expired',
  'wallet_mismatch',
  'currency_mismatch',
  'freshness_invalid',
  'freshness_stale',
  'freshness_future',
  'insufficient_balance',
  'over_payment_limit',
  'over_offline_amount',
  'over_offline_count',
  'over_terminal_velocity',
  'record_invalid',
  'echo_mismatch',
  'replayed_counter',
  'malformed_answer',
  'terminal_certificate_refused',
  'terminal_suspended',
  'terminal_not_ready',
  'ledger_failed',
  'card_error',
] as const;

export type DeclineCode = (typeof DECLINE_CODES)[number];

export interface DeclineReasonText {
  readonly message: string;
  readonly action: DeclineAction;
}

export const DECLINE_REASONS: Readonly<Record<DeclineCode, DeclineReasonText>> = {
  not_a_wallet: { message: 'This is not a Tapsafe wallet.', action: 'other_payment' },
  unsupported_wallet: {
    message: 'This wallet speaks a protocol version this terminal does not.',
    action: 'other_payment',
  },
  revoked: {
    message: 'This wallet was reported lost or revoked; it has been told to lock.',
    action: 'other_payment',
  },
  wallet_not_activated: { message: 'The wallet is not activated yet.', action: 'other_payment' },
  wallet_locked: {
    message: 'The wallet is locked (its SIM or phone changed).',
    action: 'customer_unlock',
  },
  wallet_temp_locked: {
    // Both temp-locks (off longer than T1, offline longer than T2) end only with an unlock
    // by the platform after it re-verifies the user (the patent's unlock), not a mere sync.
    message: 'The wallet is temporarily locked (phone off or offline too long).',
    action: 'customer_unlock',
  },
  wallet_disabled: { message: 'The platform disabled this wallet.', action: 'other_payment' },
  wallet_wiped: { message: 'The wallet was wiped.', action: 'other_payment' },
  unknown_issuer: {
    message: 'The wallet was issued under a key this terminal does not know.',
    action: 'terminal_sync',
  },
  certificate_invalid: {
    message: "The wallet's certificate is forged or damaged.",
    action: 'other_payment',
  },
  certificate_expired: {
    message: "The wallet's certificate is not valid today.",
    action: 'customer_sync',
  },
  wallet_mismatch: {
    message: 'The wallet answered with data of another wallet.',
    action: 'other_payment',
  },
  currency_mismatch: {
    message: 'The wallet holds another currency than this terminal charges.',
    action: 'other_payment',
  },
  freshness_invalid: {
    message: "The wallet's proof of its last sync is forged or damaged.",
    action: 'other_payment',
  },
  freshness_stale: {
    message: 'The wallet has not been online for too long.',
    action: 'customer_sync',
  },
  freshness_future: {
    message: "The wallet's last sync lies in the future: a clock is wrong.",
    action: 'call_support',
  },
  insufficient_balance: { message: 'Not enough money in the wallet.', action: 'lower_amount' },
  over_payment_limit: {
    message: 'The amount is above the per-payment limit for offline payments.',
    action: 'lower_amount',
  },
  over_offline_amount: {
    message: 'The wallet has spent its offline allowance since its last sync.',
    action: 'customer_sync',
  },
  over_offline_count: {
    message: 'The wallet has made too many payments since its last sync.',
    action: 'customer_sync',
  },
  over_terminal_velocity: {
    message: 'This wallet has paid here too often or too much today.',
    action: 'other_payment',
  },
  record_invalid: {
    message: "The wallet's signed payment does not verify.",
    action: 'other_payment',
  },
  echo_mismatch: {
    message: 'The wallet signed other payment details than this sale.',
    action: 'other_payment',
  },
  replayed_counter: {
    message: 'The wallet replayed an old payment (possible copy of a wallet).',
    action: 'other_payment',
  },
  malformed_answer: {
    message: 'The wallet sent data that does not decode.',
    action: 'tap_again',
  },
  terminal_certificate_refused: {
    message: "The wallet refused this terminal's certificate.",
    action: 'terminal_sync',
  },
  terminal_suspended: {
    message: 'The platform suspended this terminal.',
    action: 'call_support',
  },
  terminal_not_ready: {
    message: 'The terminal cannot take payments yet (enrollment, certificate or hotlist).',
    action: 'terminal_sync',
  },
  ledger_failed: {
    message:
      'The terminal could not save the payment (its storage is full or failing); nothing was approved.',
    action: 'call_support',
  },
  card_error: {
    message: 'The wallet answered with an unexpected error.',
    action: 'tap_again',
  },
};
