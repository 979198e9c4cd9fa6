/**
 * The server's hold-release job (jobs/): due holds go to the new wallets once, however many
 * nodes run the job at once; a failing run is logged and retried, never thrown.
 */
import { describe, expect, it } from 'vitest';
import { generateSigningKey } from '../../protocol';
import { ManualClock } from '../../platform/clock';
import { configFromEnv } from '../../platform/config';
import { startEmbeddedPlatform } from '../../platform/embedded';
import { PeriodicJob, platformJobs, type JobLog } from '../../platform/jobs';
import { balanceOf, ledgerAccount, postTransaction } from '../../platform/ledger/post';
import { HOLD_WINDOW_SECONDS } from '../../platform/migration/surface';
import { startPlatformServer } from '../../platform/server';
import { backends, useTestDatabases } from './support/databases';
import { insertWallet, type WalletFixture } from './support/fixtures';
import { T0, testPlatform, type TestPlatform } from './support/platform';
import { callers } from './support/units';

const HOLD = 20_000;

interface LogLine {
  level: 'info' | 'error';
  object: Record<string, unknown>;
  message: string;
}

function memoryLog(): JobLog & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  return {
    lines,
    info: (object, message) =>
      lines.push({ level: 'info', object: object as Record<string, unknown>, message }),
    error: (object, message) =>
      lines.push({ level: 'error', object: object as Record<string, unknown>, message }),
  };
}

/** An account whose lost wallet held 50 000 and migrated (operator route) to a new one. */
async function migrated(platform: TestPlatform, accountId: string) {
  const { app, db, clock } = platform;
  const as = await callers(platform);
  const old = await insertWallet(db, { accountId });
  await db.transaction().execute((trx) =>
    postTransaction(trx, {
      kind: 'test.load',
      reference: `load:${accountId}`,
      entries: [
        { account: 'platform:float', amount: -50_000 },
        { account: ledgerAccount('wallet', old.walletIdHex), amount: 50_000 },
      ],
      at: clock.now(),
    }),
  );
  await app.inject(as.operator('POST', '/v1/lost-reports', { walletId: old.walletIdHex }));
  const next = await insertWallet(db, { accountId });
  const response = await app.inject(
    as.operator('POST', '/v1/migrations', {
      oldWalletId: old.walletIdHex,
      newWalletId: next.walletIdHex,
    }),
  );
  expect(response.json()).toMatchObject({ held: HOLD });
  return { old, next };
}

describe.each(backends())('the hold-release job on %s', (backend) => {
  const databases = useTestDatabases(backend);
  const balance = (platform: TestPlatform, wallet: WalletFixture) =>
    balanceOf(platform.db, ledgerAccount('wallet', wallet.walletIdHex));

  it('releases nothing while the window is open, then each due hold once', async () => {
    const platform = await testPlatform(await databases.fresh());
    const { next } = await migrated(platform, 'alice');
    const log = memoryLog();
    const jobs = platformJobs(platform.app.platform, log);
    expect(await jobs.holdRelease.runOnce()).toEqual({ released: [], failed: [] });

    platform.clock.advance(HOLD_WINDOW_SECONDS);
    const run = await jobs.holdRelease.runOnce();
    expect(run?.released).toMatchObject([{ newWalletId: next.walletIdHex, released: HOLD }]);
    expect(await balance(platform, next)).toBe(50_000);
    expect(await jobs.holdRelease.runOnce()).toEqual({ released: [], failed: [] });
    const audited = await platform.db
      .selectFrom('audit_log')
      .select(['actor_kind', 'outcome'])
      .where('action', '=', 'migration.release_hold')
      .execute();
    expect(audited).toEqual([{ actor_kind: 'system', outcome: 'ok' }]);
    expect(log.lines).toMatchObject([{ level: 'info', object: { released: 1 } }]);
    await platform.app.close();
  });

  it('two nodes running the job at once release every hold exactly once', async () => {
    const platform = await testPlatform(await databases.fresh());
    const accounts = ['a1', 'a2', 'a3', 'a4'];
    const pairs = [];
    for (const account of accounts) pairs.push(await migrated(platform, account));
    platform.clock.advance(HOLD_WINDOW_SECONDS);
    const nodeA = platformJobs(platform.app.platform, memoryLog());
    const nodeB = platformJobs(platform.app.platform, memoryLog());
    const [a, b] = await Promise.all([nodeA.holdRelease.runOnce(), nodeB.holdRelease.runOnce()]);
    expect([...(a?.failed ?? []), ...(b?.failed ?? [])]).toEqual([]);
    const released = [...(a?.released ?? []), ...(b?.released ?? [])].map((r) => r.oldWalletId);
    expect(released.sort()).toEqual(pairs.map((p) => p.old.walletIdHex).sort());
    for (const { next } of pairs) expect(await balance(platform, next)).toBe(50_000);
    const postings = await platform.db
      .selectFrom('ledger_transactions')
      .select('reference')
      .where('kind', '=', 'migration.release')
      .execute();
    expect(postings).toHaveLength(accounts.length);
    await platform.app.close();
  });

  it('logs a failing run without secrets, keeps going, and the next run releases', async () => {
    const platform = await testPlatform(await databases.fresh());
    const { next } = await migrated(platform, 'alice');
    platform.clock.advance(HOLD_WINDOW_SECONDS);
    let broken = true;
    const clock = {
      now: () => {
        if (broken) throw new Error('clock source unavailable');
        return platform.clock.now();
      },
    };
    const log = memoryLog();
    const jobs = platformJobs({ ...platform.app.platform, clock }, log);
    expect(await jobs.holdRelease.runOnce()).toBeUndefined();
    expect(log.lines).toEqual([
      {
        level: 'error',
        message: 'job failed',
        object: {
          job: 'hold-release',
          err: { type: 'Error', message: 'clock source unavailable' },
        },
      },
    ]);
    broken = false;
    expect((await jobs.holdRelease.runOnce())?.released).toHaveLength(1);
    expect(await balance(platform, next)).toBe(50_000);
    await platform.app.close();
  });
});

describe('PeriodicJob', () => {
  it('shares the run in flight, and stop waits for it', async () => {
    let finish: (value: number) => void = () => undefined;
    let runs = 0;
    const job = new PeriodicJob({
      name: 'probe',
      intervalMs: 1_000,
      log: memoryLog(),
      run: () => {
        runs += 1;
        return new Promise<number>((resolve) => (finish = resolve));
      },
    });
    const first = job.runOnce();
    const second = job.runOnce();
    expect(second).toBe(first);
    const stopped = job.stop();
    let done = false;
    void stopped.then(() => (done = true));
    await Promise.resolve();
    expect(done).toBe(false);
    finish(7);
    await stopped;
    expect(await first).toBe(7);
    expect(runs).toBe(1);
    expect(await job.runOnce()).toBeUndefined(); // stopped: no more runs
  });
});

describe('the embedded platform runs the job by itself', () => {
  it('releases a due hold on its own tick, and stops with the platform', async () => {
    const clock = new ManualClock(T0);
    const embedded = await startEmbeddedPlatform({ clock, jobs: { holdReleaseIntervalMs: 20 } });
    try {
      const token = await embedded.createOperatorToken('timer test');
      const call = async (path: string, body: unknown, operator = true) => {
        const response = await fetch(new URL(path, embedded.url), {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(operator ? { authorization: `Bearer ${token}` } : {}),
          },
          body: JSON.stringify(body),
        });
        return (await response.json()) as Record<string, unknown>;
      };
      const registration = { accountId: 'tim', password: 'correct horse battery' };
      await call('/v1/accounts', { ...registration, name: 'Tim', balance: 30_000 });
      const phone = (imei: string) => ({
        imei,
        imsi: '310150123456789',
        walletPublicKey: Buffer.from(generateSigningKey().publicKey).toString('hex'),
        registration,
      });
      const old = await call('/v1/activations', phone('490154203237518'), false);
      await call('/v1/lost-reports', { walletId: old.walletId });
      const next = await call('/v1/reactivations', phone('353918057348412'), false);
      expect(next).toMatchObject({ balance: 10_000, migration: { held: HOLD } });

      clock.advance(HOLD_WINDOW_SECONDS);
      const { db } = embedded.platform.state;
      const deadline = Date.now() + 5_000;
      let released: number | null = null;
      while (released === null && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        const row = await db.selectFrom('wallet_migrations').select('released').executeTakeFirst();
        released = row?.released ?? null;
      }
      expect(released).toBe(HOLD);
      expect(embedded.platform.jobs).toBeDefined();
    } finally {
      await embedded.close();
    }
    // Closed: the job is stopped, a run now does nothing.
    expect(await embedded.platform.jobs?.holdRelease.runOnce()).toBeUndefined();
  });

  it('runs no job when told not to', async () => {
    const embedded = await startEmbeddedPlatform({ jobs: false });
    expect(embedded.platform.jobs).toBeUndefined();
    await embedded.close();
  });
});

describe('the server started from the environment (npm run platform)', () => {
  // As cli/main.ts does, but in memory: dataDir undefined, any free port.
  const serverFrom = (env: NodeJS.ProcessEnv, clock: ManualClock) =>
    startPlatformServer({ ...configFromEnv({ PORT: '0', ...env }), dataDir: undefined, clock });

  it('runs the hold release every HOLD_RELEASE_INTERVAL_SECONDS', async () => {
    const clock = new ManualClock(T0);
    const running = await serverFrom(
      { HOLD_RELEASE_INTERVAL_SECONDS: '1', HOTLIST_PRUNE_INTERVAL_SECONDS: '7200' },
      clock,
    );
    try {
      expect(running.jobs?.holdRelease.intervalMs).toBe(1_000);
      expect(running.jobs?.hotlistPrune.intervalMs).toBe(7_200_000);
      const { db, keys } = running.state;
      const { next } = await migrated({ app: running.app, db, keys, clock }, 'alice');
      clock.advance(HOLD_WINDOW_SECONDS);
      // No runOnce(): only the server's own 1 s tick can release it (the default is 60 s).
      const deadline = Date.now() + 5_000;
      while (Date.now() < deadline) {
        if ((await balanceOf(db, ledgerAccount('wallet', next.walletIdHex))) === 50_000) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(await balanceOf(db, ledgerAccount('wallet', next.walletIdHex))).toBe(50_000);
    } finally {
      await running.close();
    }
  });

  it('runs no job with PERIODIC_JOBS=off', async () => {
    const running = await serverFrom({ PERIODIC_JOBS: 'off' }, new ManualClock(T0));
    expect(running.jobs).toBeUndefined();
    await running.close();
  });
});
