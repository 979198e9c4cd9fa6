/**
 * SETTLEMENT_VERIFY_THREADS reaches the server `npm run platform` starts, and a batch settles
 * with a one-thread verify pool (docs/benchmarks.md: on a 2-core machine that also runs
 * PostgreSQL one thread settles as fast as two, so operators may size the pool).
 */
import { describe, expect, it } from 'vitest';
import { SettlementResult } from '../../protocol';
import { ManualClock } from '../../platform/clock';
import { configFromEnv } from '../../platform/config';
import { balanceOf } from '../../platform/ledger/post';
import { startPlatformServer } from '../../platform/server';
import { insertTerminal } from './support/fixtures';
import { T0 } from './support/platform';
import { batchOf, issueWallet, pay, uploadRequest } from './support/settlement';

describe('the settlement verify pool size from the environment', () => {
  it('settles with SETTLEMENT_VERIFY_THREADS=1', async () => {
    const env = { PORT: '0', SETTLEMENT_VERIFY_THREADS: '1', PERIODIC_JOBS: 'off' };
    const clock = new ManualClock(T0);
    const running = await startPlatformServer({
      ...configFromEnv(env),
      dataDir: undefined,
      clock,
    });
    try {
      expect(running.app.platform.verifyThreads).toBe(1);
      const { db, keys } = running.state;
      const terminal = await insertTerminal(db);
      const alice = await issueWallet(db, keys, { load: 10_000 });
      // Enough records to cut into several chunks for the single worker.
      const records = Array.from({ length: 600 }, (_, i) =>
        pay(alice, terminal, { counter: i + 1, amount: 10, offlineCount: 1, offlineAmount: 10 }),
      );
      const response = await running.app.inject(
        uploadRequest(terminal, batchOf(terminal, records).encoded),
      );
      expect(response.statusCode).toBe(200);
      const issuer = await keys.activeIssuer();
      const result = SettlementResult.open(response.rawPayload, issuer.publicKey).value;
      expect(result.results.every((r) => r.status === 'accepted')).toBe(true);
      expect(result.totalCredited).toBe(6_000);
      expect(await balanceOf(db, `merchant:${terminal.merchantId}`)).toBe(6_000);
    } finally {
      await running.close();
    }
  });

  it('uses one thread per core when unset', async () => {
    const running = await startPlatformServer({
      ...configFromEnv({ PORT: '0', PERIODIC_JOBS: 'off' }),
      dataDir: undefined,
      clock: new ManualClock(T0),
    });
    try {
      expect(running.app.platform.verifyThreads).toBeUndefined();
    } finally {
      await running.close();
    }
  });
});
