/**
 * The handset's own error types. Callers (the demo panel, the CLI, tests) tell failures
 * apart by class and `code`, never by message text.
 */

export type StorageErrorCode =
  | 'tampered' // the wallet file's integrity check fails, or the seal fails under the right identity
  | 'corrupt' // the file's framing or contents are not what this version writes
  | 'unsupported_version'; // a wallet file from another format version

/** The phone's secure storage cannot be trusted; the wallet refuses to pay from it. */
export class StorageError extends Error {
  override readonly name = 'StorageError';

  constructor(
    readonly code: StorageErrorCode,
    detail: string,
  ) {
    super(`wallet storage ${code}: ${detail}`);
  }
}

export type ActivationErrorCode =
  | 'bad_certificate' // does not decode, or no known issuer key signs it
  | 'binding_mismatch' // the certificate is bound to another IMEI / IMSI / salt
  | 'key_mismatch' // the certificate names a key this wallet does not hold
  | 'bad_freshness' // the freshness token does not decode, verify or match the wallet
  | 'bad_parameters' // T, T1, T2, balance or sequence out of range
  | 'no_pending_key'; // the wallet generated no key to certify (beginActivation not called)

/** The platform's activation answer cannot be installed; nothing was changed. */
export class ActivationError extends Error {
  override readonly name = 'ActivationError';

  constructor(
    readonly code: ActivationErrorCode,
    detail: string,
  ) {
    super(`activation refused (${code}): ${detail}`);
  }
}

export type SyncErrorCode =
  | 'not_activated'
  | 'bad_freshness' // the token does not verify, is for another wallet, or is from the future
  | 'no_network' // the phone has no signal (or is off), so the platform is unreachable
  | 'powered_off';

export class SyncError extends Error {
  override readonly name = 'SyncError';

  constructor(
    readonly code: SyncErrorCode,
    detail: string,
  ) {
    super(`sync failed (${code}): ${detail}`);
  }
}

/** The phone left the reader's field before the exchange finished (transport side). */
export class CardRemovedError extends Error {
  override readonly name = 'CardRemovedError';

  constructor(detail = 'the card left the field') {
    super(detail);
  }
}

/** A transmit with no card in the field at all. */
export class NoCardError extends Error {
  override readonly name = 'NoCardError';

  constructor(detail = 'no card in the field') {
    super(detail);
  }
}
