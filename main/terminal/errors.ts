/**
 * The one error a terminal service throws when it refuses a request or cannot do it: a
 * snake_case `code` the screens can act on and a message a merchant can read. The API
 * layer turns it into `{ code: 'refused', reason: code, message }`; anything else thrown is
 * a bug, logged on the main side and answered `internal` without details.
 */
export class TerminalError extends Error {
  override readonly name = 'TerminalError';
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
  }
}

export function isTerminalError(error: unknown, code?: string): error is TerminalError {
  return error instanceof TerminalError && (code === undefined || error.code === code);
}
