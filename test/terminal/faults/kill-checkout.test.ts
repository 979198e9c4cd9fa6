/**
 * kill -9 at random moments during payments through the real checkout (real phones on the
 * emulated reader, the real ledger file): ≥ 200 kills in CI, 25 otherwise. After each kill
 * the ledger is reopened and checked (support/kill-loop.ts); at the end each phone's
 * counter matches the ledger. The counts are printed.
 */
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../db/support/ledger';
import { killLoop } from './support/kill-loop';

const KILLS = process.env.CI === 'true' ? 200 : 25;
const tempDir = useTempDir('kill-checkout');

describe('kill -9 during payments through the checkout', () => {
  it(`loses and duplicates nothing over ${KILLS} kills`, { timeout: 600_000 }, async () => {
    const report = await killLoop({ dir: tempDir(), phones: 3, kills: KILLS, maxDelayMs: 250 });
    console.log(
      `kill -9 through the checkout: ${report.kills} kills, ${report.acknowledged} acknowledged, ` +
        `lost ${report.lost}, duplicated ${report.duplicated}, start-up failures ${report.startupFailures}, ` +
        `torn ${report.tornPending} (completed ${report.tornCompleted}, abandoned ${report.tornAbandoned}), ` +
        `${report.payments} payments in the ledger, ${report.wallMs} ms`,
    );
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ kills: KILLS, lost: 0, duplicated: 0, startupFailures: 0 });
    expect(report.phoneMismatches).toEqual([]);
    expect(report.acknowledged).toBeGreaterThan(KILLS);
    // Every request a kill left pending was resolved by a later run.
    expect(report.tornCompleted + report.tornAbandoned).toBe(report.tornPending);
  });
});
