/**
 * kill -9 at random moments while the durable till takes payments (checkout-child.ts), and
 * after each kill the ledger reopened and checked: every acknowledged payment is there
 * (lost), no (wallet, counter) and no request nonce stored twice (duplicated), its start-up
 * checks pass (integrity_check + hash chain), and the requests left pending by a kill are
 * followed until a later run resolves them. A last run that ends by itself takes one sale
 * per phone, so every torn request is settled, and each phone's own counter must then
 * match the ledger: payments 1..counter of that wallet, each once (no payment lost on the
 * phone's side, none taken twice).
 */
import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { build } from 'esbuild';
import { LedgerStore } from '../../../../db/ledger-store';
import { activatePhones, LEDGER_FILE } from './durable-till';

const CHILD = join(import.meta.dirname, 'checkout-child.ts');

export interface KillLoopOptions {
  readonly dir: string;
  readonly phones: number;
  readonly kills: number;
  /** Then goes on killing until this many payments were acknowledged (default 0). */
  readonly minAcknowledged?: number;
  /** A kill lands uniformly in [0, maxDelayMs] after the child said `ready`. */
  readonly maxDelayMs: number;
  /** Called after each kill's checks (progress). */
  readonly onKill?: (kill: number, report: KillReport) => void;
}

export interface KillReport {
  kills: number;
  /** `approved` + `recovered` lines: payments the cashier was told about. */
  acknowledged: number;
  /** Acknowledged payments missing from the ledger after a kill. */
  lost: number;
  /** (wallet, counter) pairs or request nonces stored more than once, summed over checks. */
  duplicated: number;
  /** Reopened ledgers whose start-up checks failed. */
  startupFailures: number;
  /** Requests found pending after a kill (a torn tap), and later completed / abandoned. */
  tornPending: number;
  tornCompleted: number;
  tornAbandoned: number;
  /** `declined` / `broken` lines and other surprises, verbatim (expected: none). */
  problems: string[];
  /** Payments in the ledger at the end; phones whose counter did not match it. */
  payments: number;
  phoneMismatches: string[];
  wallMs: number;
}

interface ChildRun {
  readonly lines: string[];
  readonly signal: NodeJS.Signals | null;
  readonly code: number | null;
}

/**
 * The child bundled into one file, once: a start then costs node's own (~0.2 s) instead of
 * tsx resolving and loading a few hundred modules (~0.7 s), hundreds of times. Only the
 * native better-sqlite3 stays outside, by its absolute path (the bundle sits in a temp dir).
 */
async function bundleChild(outDir: string): Promise<string> {
  const outfile = join(outDir, 'checkout-child.mjs');
  const resolve = createRequire(import.meta.url).resolve;
  await build({
    entryPoints: [CHILD],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    plugins: [
      {
        name: 'native-outside',
        setup(bundle) {
          bundle.onResolve({ filter: /^better-sqlite3$/ }, (args) => ({
            path: resolve(args.path),
            external: true,
          }));
        },
      },
    ],
  });
  return outfile;
}

/** Runs the child; kills it `delayMs` after `ready` (never, with `once`). */
function runChild(
  script: string,
  dir: string,
  phones: number,
  delayMs: number | 'once',
): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const args = [script, dir, String(phones)];
    if (delayMs === 'once') args.push('once');
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      text += chunk;
      if (delayMs !== 'once' && timer === undefined && text.includes('ready\n')) {
        timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      // A line cut short by the kill was never written whole: it does not count.
      const complete = text.slice(0, text.lastIndexOf('\n') + 1);
      resolve({ lines: complete.split('\n').filter((l) => l.length > 0), signal, code });
    });
  });
}

const countOf = (store: LedgerStore, sql: string): number =>
  store.db.prepare(sql).pluck().get() as number;

export async function killLoop(options: KillLoopOptions): Promise<KillReport> {
  const started = performance.now();
  const { dir, phones } = options;
  await activatePhones(dir, phones);
  const script = await bundleChild(dir);
  const report: KillReport = {
    kills: 0,
    acknowledged: 0,
    lost: 0,
    duplicated: 0,
    startupFailures: 0,
    tornPending: 0,
    tornCompleted: 0,
    tornAbandoned: 0,
    problems: [],
    payments: 0,
    phoneMismatches: [],
    wallMs: 0,
  };
  const acknowledged: [walletId: Buffer, counter: number][] = [];
  const seen = new Set<string>();
  const torn = new Map<string, Buffer>();

  const take = (run: ChildRun) => {
    for (const line of run.lines) {
      const [kind, walletHex, counter] = line.split(' ');
      if (kind === 'approved' || kind === 'recovered') {
        const key = `${walletHex}:${counter}`;
        // The same payment announced twice would be a double payment to the cashier.
        if (seen.has(key)) report.duplicated++;
        seen.add(key);
        acknowledged.push([Buffer.from(walletHex ?? '', 'hex'), Number(counter)]);
        report.acknowledged++;
      } else if (kind === 'declined' || kind === 'broken') {
        report.problems.push(line);
      }
    }
  };

  const check = () => {
    const store = LedgerStore.open(join(dir, LEDGER_FILE));
    try {
      if (!store.startup.ok) {
        report.startupFailures++;
        report.problems.push(`start-up checks failed: ${JSON.stringify(store.startup)}`);
      }
      report.lost += acknowledged.filter(
        ([walletId, counter]) => store.payment(walletId, counter) === undefined,
      ).length;
      report.duplicated +=
        countOf(
          store,
          'SELECT count(*) FROM (SELECT 1 FROM payments GROUP BY wallet_id, counter HAVING count(*) > 1)',
        ) +
        countOf(
          store,
          'SELECT count(*) FROM (SELECT 1 FROM payments GROUP BY nonce HAVING count(*) > 1)',
        );
      const stateOf = store.db
        .prepare('SELECT state FROM pending_requests WHERE nonce = ?')
        .pluck();
      for (const [key, nonce] of torn) {
        const state = stateOf.get(nonce) as string | undefined;
        if (state === 'pending') continue;
        torn.delete(key);
        if (state === 'completed') report.tornCompleted++;
        else report.tornAbandoned++;
      }
      for (const request of store.pendingRequests()) {
        const key = Buffer.from(request.nonce).toString('hex');
        if (torn.has(key)) continue;
        torn.set(key, Buffer.from(request.nonce));
        report.tornPending++;
      }
      report.payments = countOf(store, 'SELECT count(*) FROM payments');
      return store.pendingRequests().length;
    } finally {
      store.close();
    }
  };

  const more = (kill: number) =>
    kill <= options.kills || report.acknowledged < (options.minAcknowledged ?? 0);
  for (let kill = 1; more(kill); kill++) {
    const run = await runChild(script, dir, phones, randomInt(0, options.maxDelayMs + 1));
    if (run.signal !== 'SIGKILL') {
      report.problems.push(
        `run ${kill} ended by itself (${run.code}): ${run.lines.slice(-3).join(' | ')}`,
      );
    }
    report.kills = kill;
    take(run);
    check();
    options.onKill?.(kill, report);
  }

  // The last run ends by itself after one sale per phone: every torn request is settled.
  const last = await runChild(script, dir, phones, 'once');
  if (last.code !== 0) report.problems.push(`the last run failed (${last.code})`);
  take(last);
  const stillPending = check();
  if (stillPending > 0) report.problems.push(`${stillPending} requests still pending at the end`);
  const store = LedgerStore.open(join(dir, LEDGER_FILE));
  try {
    for (const line of last.lines.filter((l) => l.startsWith('final '))) {
      const [, walletHex, counter] = line.split(' ');
      const walletId = Buffer.from(walletHex ?? '', 'hex');
      const rows = store.db
        .prepare('SELECT count(*) FROM payments WHERE wallet_id = ?')
        .pluck()
        .get(walletId) as number;
      const highest = store.highestCounter(walletId) ?? 0;
      if (rows !== Number(counter) || highest !== Number(counter)) {
        report.phoneMismatches.push(
          `${walletHex}: phone ${counter}, ledger ${rows} rows up to ${highest}`,
        );
      }
    }
  } finally {
    store.close();
  }
  report.wallMs = Math.round(performance.now() - started);
  return report;
}
