/** A terminal's own files in a temp folder: the ledger (with its trust set-up) and the key file. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LedgerStore } from '../../../db/ledger-store';
import { TerminalStore } from '../../../db/terminal-store';

export interface TerminalFiles {
  readonly dir: string;
  readonly ledgerPath: string;
  readonly ledger: LedgerStore;
  readonly store: TerminalStore;
  close(): void;
}

export function terminalFiles(): TerminalFiles {
  const dir = mkdtempSync(join(tmpdir(), 'tapsafe-terminal-'));
  const ledgerPath = join(dir, 'ledger.db');
  const ledger = LedgerStore.open(ledgerPath);
  return {
    dir,
    ledgerPath,
    ledger,
    store: new TerminalStore(ledger.db),
    close() {
      ledger.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
