/**
 * `npm run bench -- settlement`: 100,000 signed payment records from 1,000 wallets, in 100
 * batches of 1,000 from 10 terminals, settled into PostgreSQL and into PGlite through
 * settleBatch (the route's work minus HTTP); then PostgreSQL again with one pool thread
 * fewer than the cores. Figures: records/s, the machine's crypto.verify ceiling measured
 * in the same run (one core's verify/s × the pool's threads), their ratio (goal ≥ 0.8),
 * where the CPU went (verification, this process, a local PostgreSQL), peak RSS.
 *
 * PostgreSQL: TEST_DATABASE_URL or DATABASE_URL, else a throwaway cluster started with
 * scripts/ci/postgres.sh (and stopped after). Each run uses its own schema, dropped after.
 * SETTLEMENT_BENCH_RECORDS scales the run down for a quick look.
 */
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { randomBytes, verify } from 'node:crypto';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { PaymentRecord, SettlementBatch, importPublicKey } from '../protocol';
import { ManualClock } from '../platform/clock';
import { platformMigrations } from '../platform/db/migrations';
import { createPglite, openDatabase } from '../platform/db/open';
import type { PlatformDatabase } from '../platform/db/schema';
import { IssuerKeys } from '../platform/keys/issuer-keys';
import { CertificateCache } from '../platform/settlement/certificate-cache';
import { settleBatch, VerifyPool } from '../platform/settlement/surface';
import { UNITS } from '../platform/units';
import { postgresCpuSeconds, processCpuSeconds } from './cpu';
import { median, rate, report } from './report';
import { seed, T0, workload, type Workload } from './settlement-workload';

const RECORDS = Number(process.env.SETTLEMENT_BENCH_RECORDS ?? 100_000);
const PER_BATCH = 1_000;
const IN_FLIGHT = 2; // one batch verifies while another writes

/** CPU seconds one crypto.verify of these records costs (the ceiling's loop, timed by CPU). */
let verifyCpuSeconds = 0;

/** One core's crypto.verify rate on the same records, key import excluded. */
function verifyCeilingPerCore(load: Workload): number {
  const sample = load.batches
    .slice(0, 2)
    .flatMap((b) => SettlementBatch.decode(b.envelope).value.records);
  const keyOf = new Map(
    load.wallets.map((w) => [w.id.toString('hex'), importPublicKey(w.key.publicKey)]),
  );
  const items = sample.map((r) => ({
    message: PaymentRecord.signedMessage(r.body),
    signature: r.signature,
    key: keyOf.get(Buffer.from(r.value.walletId).toString('hex'))!,
  }));
  const cpuBefore = processCpuSeconds();
  const perCore = median(
    Array.from({ length: 5 }, () =>
      rate(items, ({ message, signature, key }) => {
        verify('sha256', message, { key, dsaEncoding: 'ieee-p1363' }, signature);
      }),
    ),
  );
  verifyCpuSeconds = (processCpuSeconds() - cpuBefore) / (5 * items.length);
  return perCore;
}

async function settleAll(
  db: Kysely<PlatformDatabase>,
  keys: IssuerKeys,
  pool: VerifyPool,
  load: Workload,
) {
  const ctx = { db, keys, clock: new ManualClock(T0), pool, certificates: new CertificateCache() };
  const cpuBefore = { node: processCpuSeconds(), postgres: await postgresCpuSeconds(db) };
  const start = process.hrtime.bigint();
  // Each worker settles its own terminals' batches in order: a terminal's batches continue
  // its chain, so one of them must not overtake another.
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async (_, worker) => {
      const mine = new Set(
        load.terminals.filter((_, t) => t % IN_FLIGHT === worker).map((t) => t.id),
      );
      for (const next of load.batches.filter((b) => mine.has(b.terminal))) {
        await settleBatch(ctx, next.terminal, next.envelope);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const node = processCpuSeconds() - cpuBefore.node;
  const postgresAfter = await postgresCpuSeconds(db);
  const postgres =
    cpuBefore.postgres === undefined || postgresAfter === undefined
      ? 0
      : postgresAfter - cpuBefore.postgres;
  const settled = await db
    .selectFrom('settlement_payments')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  if (Number(settled.n) !== RECORDS) throw new Error(`settled ${settled.n} of ${RECORDS} records`);
  return { seconds, rate: RECORDS / seconds, cpu: { node, postgres } };
}

function postgresUrl(): { url: string; stop?: () => void } {
  const given = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (given) return { url: given };
  const out = execFileSync('scripts/ci/postgres.sh', ['start'], { encoding: 'utf8' });
  const env: Record<string, string> = {};
  for (const m of out.matchAll(/export (\w+)=['"]?([^'"\n]+)['"]?/g)) env[m[1]!] = m[2]!;
  return {
    url: env.TEST_DATABASE_URL ?? '',
    stop: () =>
      execFileSync('scripts/ci/postgres.sh', ['stop'], {
        env: { ...process.env, ...env },
        stdio: 'inherit',
      }),
  };
}

export async function run(): Promise<void> {
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const load = workload(RECORDS, PER_BATCH);
  // The default pool (a thread per core), then, where there are cores to spare, one core
  // fewer: on a small machine the main thread and a local PostgreSQL need a core of their
  // own, and the ratio against the threads actually verifying shows what is left.
  const cores = availableParallelism();
  const runs = [
    { backend: 'postgres', threads: cores },
    { backend: 'pglite', threads: cores },
    ...(cores > 1 ? [{ backend: 'postgres', threads: cores - 1 }] : []),
  ] as const;
  // The machine is shared and noisy: the ceiling is measured right before and right after
  // each backend's run, and the run is compared with their mean.
  let perCore = verifyCeilingPerCore(load);
  const pg = postgresUrl();
  const migrations = platformMigrations(UNITS);
  const schema = `bench_${process.pid}`;
  try {
    for (const { backend, threads } of runs) {
      const pglite = backend === 'pglite' ? createPglite() : undefined;
      const db =
        pglite === undefined
          ? await openDatabase({ databaseUrl: pg.url, schema, poolSize: 4 }, { migrations })
          : await openDatabase({ pglite, schema }, { migrations });
      const pool = new VerifyPool(threads);
      try {
        const keys = await IssuerKeys.open({
          db,
          clock: new ManualClock(T0),
          masterKey: randomBytes(32),
        });
        await seed(db, keys, load);
        const before = perCore;
        const { seconds, rate: perSecond, cpu } = await settleAll(db, keys, pool, load);
        const verifyCpu = verifyCpuSeconds;
        perCore = verifyCeilingPerCore(load);
        const ceiling = ((before + perCore) / 2) * pool.size;
        const bench = `settlement.${backend}${threads === cores ? '' : `.pool-${threads}`}`;
        report({
          bench,
          metric: `verify ceiling (1 core × ${pool.size} pool threads)`,
          value: Math.round(ceiling),
          unit: 'verify/s',
        });
        report({
          bench,
          metric: `records settled (${load.batches.length} batches)`,
          value: RECORDS,
          unit: 'records',
        });
        report({ bench, metric: 'time', value: Number(seconds.toFixed(2)), unit: 's' });
        report({ bench, metric: 'throughput', value: Math.round(perSecond), unit: 'records/s' });
        report({
          bench,
          metric: 'throughput / verify ceiling',
          value: Number((perSecond / ceiling).toFixed(3)),
          unit: 'ratio (goal >= 0.8)',
        });
        // Where the CPU went, robust to a busy machine: verification's share of all the CPU
        // the run cost is what the ratio above tends to when nothing else runs.
        const perThousand = (seconds: number) => Number(((seconds / RECORDS) * 1e6).toFixed(1));
        const verifying = ((verifyCpu + verifyCpuSeconds) / 2) * RECORDS;
        report({
          bench,
          metric: 'CPU: verification',
          value: perThousand(verifying),
          unit: 'ms per 1,000 records',
        });
        report({
          bench,
          metric: 'CPU: this process (pool + main thread' + (pglite ? ' + PGlite)' : ')'),
          value: perThousand(cpu.node),
          unit: 'ms per 1,000 records',
        });
        if (pglite === undefined)
          report({
            bench,
            metric: 'CPU: PostgreSQL server (local)',
            value: perThousand(cpu.postgres),
            unit: 'ms per 1,000 records',
          });
        report({
          bench,
          metric: 'CPU-bound ratio (verification / all CPU)',
          value: Number((verifying / (cpu.node + cpu.postgres)).toFixed(3)),
          unit: 'ratio',
        });
        // What this process alone allows: the ratio with PostgreSQL on a machine of its own.
        if (pglite === undefined)
          report({
            bench,
            metric: 'CPU-bound ratio with the database elsewhere (verification / this process)',
            value: Number((verifying / cpu.node).toFixed(3)),
            unit: 'ratio',
          });
        // The most a machine that also runs the database could reach: even if the main
        // thread cost nothing, the server's CPU comes out of the same cores.
        if (pglite === undefined)
          report({
            bench,
            metric:
              'CPU-bound ratio with a free main thread (verification / (verification + PostgreSQL))',
            value: Number((verifying / (verifying + cpu.postgres)).toFixed(3)),
            unit: 'ratio',
          });
      } finally {
        if (pglite === undefined)
          await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(db);
        await db.destroy();
        await pglite?.close();
        await pool.close();
      }
    }
  } finally {
    pg.stop?.();
    clearInterval(sampler);
  }
  report({
    bench: 'settlement',
    metric: 'peak RSS',
    value: Math.round(peak / 2 ** 20),
    unit: 'MiB',
  });
}
