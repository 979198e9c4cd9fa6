/**
 * What can go wrong talking to the platform, as one typed error. Callers (the phone's UI,
 * the CLI, tests) switch on `code` and, for refusals, on the platform's own `platformCode`
 * (`registration_mismatch`, `wallet_exists`, `rate_limited`, …) — never on message text.
 */
export type PlatformRequestErrorCode =
  | 'refused' // 4xx: the platform said no; platformCode says why
  | 'unauthenticated' // 401: the request signature, clock or caller was not accepted
  | 'rate_limited' // 429: too many failed attempts; retryAfterSeconds says when to retry
  | 'server_error' // 5xx
  | 'network' // no connection, connection reset, DNS
  | 'timeout' // no answer within the client's timeout
  | 'bad_response' // an answer that is not what the API documents
  | 'cannot_sign'; // the wallet's secrets are not open, so it cannot authenticate

export class PlatformRequestError extends Error {
  override readonly name = 'PlatformRequestError';

  constructor(
    readonly code: PlatformRequestErrorCode,
    message: string,
    readonly details: {
      readonly status?: number;
      readonly platformCode?: string;
      readonly field?: string;
      readonly retryAfterSeconds?: number;
    } = {},
  ) {
    super(message);
  }

  get status(): number | undefined {
    return this.details.status;
  }

  get platformCode(): string | undefined {
    return this.details.platformCode;
  }
}

export const isPlatformRequestError = (error: unknown): error is PlatformRequestError =>
  error instanceof PlatformRequestError;
