/**
 * The platform's typed errors. Every refusal a caller can see is a PlatformError: the HTTP
 * error handler turns it into `{ error: { code, message, field? } }` with its status, so
 * routes throw instead of shaping replies, and clients switch on `code`, never on text.
 */
export class PlatformError extends Error {
  override readonly name = 'PlatformError';

  constructor(
    readonly statusCode: number,
    /** Stable, snake_case, documented: what clients switch on. */
    readonly code: string,
    message: string,
    /** Dotted path of the offending input field, when one is to blame. */
    readonly field?: string,
    /** Extra response headers, e.g. Retry-After or WWW-Authenticate. */
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(message);
  }
}

export const isPlatformError = (error: unknown): error is PlatformError =>
  error instanceof PlatformError;

export const badRequest = (code: string, message: string, field?: string): PlatformError =>
  new PlatformError(400, code, message, field);

export const unauthenticated = (code: string, message: string): PlatformError =>
  new PlatformError(401, code, message);

export const forbidden = (code: string, message: string): PlatformError =>
  new PlatformError(403, code, message);

export const notFound = (code: string, message: string, field?: string): PlatformError =>
  new PlatformError(404, code, message, field);

export const conflict = (code: string, message: string, field?: string): PlatformError =>
  new PlatformError(409, code, message, field);

export const tooManyAttempts = (message: string, retryAfterSeconds: number): PlatformError =>
  new PlatformError(429, 'rate_limited', message, undefined, {
    'retry-after': String(Math.max(1, retryAfterSeconds)),
  });

/** Errors of the database layer at start-up; not HTTP errors (the server never starts). */
export class DatabaseSetupError extends Error {
  override readonly name = 'DatabaseSetupError';

  constructor(
    readonly code:
      | 'newer_database' // migrations this code does not know: the database is from a newer version
      | 'migration_failed'
      | 'bad_migration_name'
      | 'data_dir_in_use' // another live process holds the PGlite data folder
      | 'bad_location',
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
