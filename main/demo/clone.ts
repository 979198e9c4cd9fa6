/**
 * S12, a cloned wallet: the phone's wallet folder copied byte for byte into a second phone
 * (same keys, counter and balance; the same IMEI and IMSI, so its binding checks pass), as
 * test/terminal/e2e/rig-scenarios.test.ts does. The clone spends at the second terminal,
 * which settles at once; the original phone still holds the same state and is approved
 * offline at the main terminal, whose settlement the platform then flags as a double spend.
 * The clone is thrown away afterwards: it stands for the thief's copy, not a demo phone.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createPhone, type Clock } from '../../handset';
import { LOCK_FILE } from '../../handset/storage/folder-lock';
import type { Note } from './notes';
import type { DemoPhone } from './phones';
import { DEMO_TERMINAL_2_ID, type LazySecondTerminal } from './terminal-two';

/** What the clone spends when the panel gives no amount (minor units). */
export const CLONE_SPEND = 2_000;

export interface CloneInput {
  readonly dataDir: string;
  readonly clock: Clock;
  readonly target: DemoPhone;
  /** DEMO-T2, opened (and enrolled) on the first clone. */
  readonly terminal: LazySecondTerminal;
  readonly amount: number;
  readonly note: Note;
}

export async function spendClone(input: CloneInput): Promise<void> {
  const { target, amount, note } = input;
  const terminal = await input.terminal.get();
  const label = target.record.label;
  const { device, wallet } = target.phone.snapshot();
  const parent = join(input.dataDir, 'clones');
  mkdirSync(parent, { recursive: true, mode: 0o700 });
  const cloneDir = mkdtempSync(join(parent, `${target.record.phoneId}-`));
  try {
    cpSync(target.dir, cloneDir, { recursive: true, filter: (s) => !s.endsWith(LOCK_FILE) });
    // No platform link: the thief's copy stays offline, as a clone that wants to spend would.
    const clone = createPhone({
      stateDir: cloneDir,
      ...device.identity,
      clock: input.clock,
      name: `${label} (clone)`,
    });
    try {
      note('clone_made', label, { value: String(wallet.counter ?? 0) });
      const sale = await terminal.sell(clone, amount);
      const values = {
        amount,
        currency: sale.currency,
        value: DEMO_TERMINAL_2_ID,
        ...(sale.decline === null ? {} : { code: sale.decline.code }),
      };
      note(sale.state === 'approved' ? 'clone_paid' : 'clone_declined', label, values);
    } finally {
      clone.close();
    }
    const result = await terminal.settle();
    if (result !== null) {
      note('terminal2_settled', label, {
        value: DEMO_TERMINAL_2_ID,
        accepted: result.entries.filter((e) => e.status === 'accepted').length,
      });
    }
  } finally {
    rmSync(cloneDir, { recursive: true, force: true });
  }
}
