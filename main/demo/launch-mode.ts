// Which terminal a launch starts, decided from the folder alone: kept apart from launch.ts so a
// host can say what is starting before it loads the demo world (platform, PGlite, handsets).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LedgerStore } from '../../db/ledger-store';
import { TerminalStore } from '../../db/terminal-store';

/** A terminal folder with an enrollment in it: a real merchant's terminal. */
export function merchantTerminalExists(appDataDir: string): boolean {
  const ledgerPath = join(appDataDir, 'terminal', 'ledger.sqlite');
  if (!existsSync(ledgerPath)) return false;
  const ledger = LedgerStore.open(ledgerPath);
  try {
    return new TerminalStore(ledger.db).identity() !== undefined;
  } finally {
    ledger.close();
  }
}
