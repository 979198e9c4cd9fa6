/**
 * The one error type of the terminal's ledger. Callers never see a raw SqliteError: each
 * failure the terminal must react to differently has its own code.
 */
export type LedgerErrorCode =
  | 'newer_version' // the file was written by a newer Tapsafe; opening it could corrupt it
  | 'not_a_ledger' // the file is not a SQLite database (or not one of ours)
  | 'corrupt' // integrity_check or the hash chain failed
  | 'disk_full' // SQLITE_FULL: nothing of the failed write was committed
  | 'in_use' // another process holds the ledger (one writer only)
  | 'replayed_counter' // a payment counter at or below the wallet's highest seen
  | 'not_found' // no such payment or batch
  | 'already_voided'
  | 'already_settled'
  | 'already_enrolled' // the terminal's identity is stored already (one enrollment per ledger)
  | 'io'; // any other storage failure

export class LedgerError extends Error {
  override readonly name = 'LedgerError';

  constructor(
    readonly code: LedgerErrorCode,
    message: string,
    /** Extra facts for the caller, e.g. both versions of `newer_version`. */
    readonly details: Readonly<Record<string, number | string>> = {},
  ) {
    super(message);
  }
}

export function isLedgerError(error: unknown, code?: LedgerErrorCode): error is LedgerError {
  return error instanceof LedgerError && (code === undefined || error.code === code);
}

/** better-sqlite3 errors carry SQLite's extended code as a string, e.g. `SQLITE_FULL`. */
function sqliteCode(error: unknown): string | undefined {
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') {
    return error.code;
  }
  return undefined;
}

/** Turns anything SQLite throws into a LedgerError; LedgerErrors pass through. */
export function toLedgerError(error: unknown, doing: string): LedgerError {
  if (error instanceof LedgerError) return error;
  const code = sqliteCode(error) ?? '';
  const detail = error instanceof Error ? error.message : String(error);
  if (code.startsWith('SQLITE_FULL')) {
    return new LedgerError('disk_full', `${doing}: the disk is full (${detail})`);
  }
  if (code.startsWith('SQLITE_NOTADB')) {
    return new LedgerError('not_a_ledger', `${doing}: not a SQLite database (${detail})`);
  }
  if (code.startsWith('SQLITE_CORRUPT')) {
    return new LedgerError('corrupt', `${doing}: the database is corrupt (${detail})`);
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new LedgerError('in_use', `${doing}: the ledger is in use by another process`);
  }
  return new LedgerError('io', `${doing}: ${detail}`, code ? { sqlite: code } : {});
}

/** Runs `work`, rethrowing any failure as a LedgerError. */
export function guarded<T>(doing: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw toLedgerError(error, doing);
  }
}
