// Which terminal a launch starts, decided from the folder alone: kept apart from launch.ts so a
// host can say what is starting before it loads the demo world (platform, PGlite, handsets).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { peekLedger } from '../../db/open';
import { TerminalStore } from '../../db/terminal-store';

/**
 * A terminal folder with an enrollment in it: a real merchant's terminal. A read-only look
 * at the identity row; the terminal started next checks the whole ledger, once.
 */
export function merchantTerminalExists(appDataDir: string): boolean {
  const ledgerPath = join(appDataDir, 'terminal', 'ledger.sqlite');
  if (!existsSync(ledgerPath)) return false;
  return peekLedger(ledgerPath, (db) => {
    const identityTable = db
      .prepare(`SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'terminal_identity'`)
      .get();
    return identityTable !== undefined && new TerminalStore(db).identity() !== undefined;
  });
}
