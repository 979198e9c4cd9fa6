/**
 * kill -9 while committing: a child appends payments in a loop and prints each id once it is
 * committed; it is SIGKILLed at random moments, 50 times on one ledger file. Every printed
 * id must then be in the ledger exactly once, integrity_check and the chain intact.
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportScalar, generateSigningKey } from '../../protocol';
import { LedgerStore } from '../../db/ledger-store';
import { useTempDir } from './support/ledger';

const tempDir = useTempDir('ledger-kill');
const CHILD = join(import.meta.dirname, 'support', 'append-child.ts');
const KILLS = 50;

/** Runs the child until it has printed `ready` and then `afterIds` ids, kills it; its ids. */
function runAndKill(args: string[], afterIds: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let text = '';
    let killed = false;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      text += chunk;
      if (killed || !text.includes('ready\n')) return;
      const printed = text.split('\n').filter((l) => /^\d+$/.test(l)).length;
      if (printed >= afterIds) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') return reject(new Error(`child ended by itself:\n${text}`));
      // A line cut short by the kill is not a printed id.
      const complete = text.slice(0, text.lastIndexOf('\n') + 1);
      resolve(
        complete
          .split('\n')
          .filter((l) => /^\d+$/.test(l))
          .map(Number),
      );
    });
  });
}

describe('kill -9 while appending', () => {
  it(
    `keeps every committed payment across ${KILLS} kills, chain intact`,
    { timeout: 180_000 },
    async () => {
      const path = join(tempDir(), 'ledger.db');
      const args = [
        path,
        randomBytes(16).toString('hex'),
        Buffer.from(exportScalar(generateSigningKey())).toString('hex'),
      ];
      const printed: number[] = [];
      for (let kill = 0; kill < KILLS; kill++) {
        printed.push(...(await runAndKill(args, randomInt(0, 40))));
      }
      const store = LedgerStore.open(path);
      expect(store.startup).toMatchObject({
        ok: true,
        integrity: { ok: true },
        chain: { ok: true },
      });
      const ids = store.db.prepare('SELECT id FROM payments').pluck().all() as number[];
      const counts = new Map<number, number>();
      for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
      expect(new Set(printed).size).toBe(printed.length);
      expect(printed.filter((id) => counts.get(id) !== 1)).toEqual([]);
      expect(printed.length).toBeGreaterThan(KILLS);
      store.close();
    },
  );
});
