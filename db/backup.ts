/**
 * Online backup (SQLite's backup API, taken while the terminal keeps writing) and restore.
 * A restore first copies the backup next to the live file and checks the copy — a Tapsafe
 * ledger, not newer than this code, integrity_check and hash chain intact — and only then
 * renames it over the live file, so a corrupt or tampered backup never replaces anything.
 */
import { copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { LedgerError, toLedgerError } from './errors';
import { LedgerStore } from './ledger-store';
import { openLedger } from './open';

/** Writes a consistent copy of the open ledger to `dest`. */
export async function backupLedger(
  store: LedgerStore,
  dest: string,
  /** Pages copied per step; the terminal keeps committing between steps. */
  pagesPerStep = 100,
): Promise<void> {
  try {
    await store.db.backup(dest, { progress: () => pagesPerStep });
  } catch (error) {
    rmSync(dest, { force: true });
    throw toLedgerError(error, `backing up to ${dest}`);
  }
}

/**
 * Replaces the (closed) ledger at `livePath` with the backup at `from`. The file it
 * replaces is kept beside it as `<name>.before-restore-<at>` with its WAL, never deleted.
 */
export function restoreLedger(livePath: string, from: string, at: number = Date.now()): void {
  const staging = join(dirname(livePath), `.${basename(livePath)}.restoring`);
  removeDatabase(staging);
  try {
    copyFileSync(from, staging);
  } catch (error) {
    throw toLedgerError(error, `copying ${from}`);
  }
  try {
    const copy = LedgerStore.open(staging); // refuses newer / not a ledger; migrates an older one
    const { startup } = copy;
    copy.close(); // checkpoints: the staged file alone holds everything
    if (!startup.ok) {
      throw new LedgerError('corrupt', `the backup fails its checks: ${describe(startup)}`);
    }
  } catch (error) {
    removeDatabase(staging);
    throw error;
  }
  // The live ledger must be closed: a process still holding it would go on committing into
  // the file moved aside. Opening it takes the exclusive lock, or fails `in_use`.
  if (existsSync(livePath)) {
    try {
      openLedger(livePath, { busyTimeoutMs: 0 }).close();
    } catch (error) {
      removeDatabase(staging);
      throw error;
    }
  }
  const kept = `${livePath}.before-restore-${at}`;
  for (const suffix of ['-wal', '-shm', '']) {
    if (existsSync(livePath + suffix)) renameSync(livePath + suffix, kept + suffix);
  }
  renameSync(staging, livePath);
}

function removeDatabase(path: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(path + suffix, { force: true });
}

function describe(startup: LedgerStore['startup']): string {
  if (!startup.integrity.ok) return startup.integrity.problems.join('; ');
  if (!startup.chain.ok)
    return `chain broken at entry ${startup.chain.brokenAt}: ${startup.chain.reason}`;
  return 'ok';
}
