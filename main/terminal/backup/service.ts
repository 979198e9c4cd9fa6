/**
 * Backup and restore of the ledger from the settings screen. A backup is SQLite's online
 * backup, taken while the terminal keeps taking payments. A restore replaces the ledger only
 * after the copy passed every start-up check (db/backup.ts), and only while no sale is in
 * progress: the ledger is closed, replaced and opened again under the services.
 */
import { statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import type { BackupView } from '../../../preload/contract';
import { backupLedger, restoreLedger } from '../../../db/backup';
import type { LedgerStore } from '../../../db/ledger-store';
import { TerminalError } from '../errors';
import type { TerminalClock } from '../model';

export interface BackupDeps {
  readonly ledgerPath: string;
  readonly ledger: () => LedgerStore;
  /** Closes the ledger, runs `replace`, opens it again (whatever `replace` did). */
  readonly reopenLedger: (replace: () => void) => void;
  /** Why the ledger cannot be replaced now (a sale in progress, an upload running), if so. */
  readonly busyReason: () => string | undefined;
  readonly clock: TerminalClock;
}

function absolute(path: string): string {
  // A relative path would land wherever the process happens to run: refuse it instead.
  if (!isAbsolute(path)) {
    throw new TerminalError('path_not_absolute', `give the full path of the file, not "${path}"`);
  }
  return path;
}

export function createBackupService(deps: BackupDeps) {
  return {
    async create(path: string): Promise<BackupView> {
      const dest = absolute(path);
      if (dest === deps.ledgerPath) {
        throw new TerminalError('path_is_ledger', 'a backup cannot overwrite the live ledger');
      }
      await backupLedger(deps.ledger(), dest);
      return { path: dest, bytes: statSync(dest).size, at: deps.clock.now() };
    },

    restore(path: string): BackupView {
      const from = absolute(path);
      const busy = deps.busyReason();
      if (busy !== undefined) {
        throw new TerminalError('terminal_busy', `cannot restore now: ${busy}`);
      }
      const bytes = statSize(from);
      deps.reopenLedger(() => restoreLedger(deps.ledgerPath, from, deps.clock.now()));
      return { path: from, bytes, at: deps.clock.now() };
    },
  };
}

function statSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    throw new TerminalError('backup_not_found', `no backup file at ${path}`);
  }
}

export type BackupService = ReturnType<typeof createBackupService>;
