/**
 * `npm run bench -- ledger`: commit latency of the terminal's ledger. 2,000 signed payment
 * records (signed beforehand) appended one by one to a fresh ledger file with WAL and
 * synchronous=FULL, each appendPayment timed from call to durable commit. Goal: p99 ≤ 1 ms.
 * Each payment carries the 13 checks of an approval, as the checkout stores them: `commit_*`
 * in the payment's own transaction (what a tap does), alternating with `two_commits_*`,
 * the payment then its checks in a second transaction (how the terminal did it before).
 * LEDGER_BENCH_PAYMENTS changes the count; LEDGER_BENCH_DIR the folder (default: os tmpdir).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PaymentRecord, generateSigningKey } from '../protocol';
import { storeChecks, type StoredCheck } from '../db/history';
import { LedgerStore } from '../db/ledger-store';
import { percentile, report, roundMs } from './report';

const PAYMENTS = Number(process.env.LEDGER_BENCH_PAYMENTS ?? 2_000);
/** What an approval's checks look like in size: 12 steps, then the commit's own line. */
const CHECKS: readonly StoredCheck[] = Array.from({ length: 13 }, (_, i) => ({
  check: `check number ${i} of the tap, in the words the history shows`,
  ok: true,
  detail: i % 3 === 0 ? `counter ${i}, amount ${i * 100}` : null,
}));

function timed(work: () => void): number {
  const start = process.hrtime.bigint();
  work();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function latency(metric: string, ms: number[]): void {
  ms.sort((a, b) => a - b);
  report({
    bench: 'ledger',
    metric: `${metric}_p50`,
    value: roundMs(percentile(ms, 50)),
    unit: 'ms',
  });
  report({
    bench: 'ledger',
    metric: `${metric}_p99`,
    value: roundMs(percentile(ms, 99)),
    unit: 'ms',
  });
  report({ bench: 'ledger', metric: `${metric}_max`, value: roundMs(ms.at(-1) ?? 0), unit: 'ms' });
}

export function run(): void {
  const dir = mkdtempSync(join(process.env.LEDGER_BENCH_DIR ?? tmpdir(), 'tapsafe-ledger-bench-'));
  try {
    const wallets = Array.from({ length: 50 }, () => ({
      walletId: randomBytes(16),
      key: generateSigningKey(),
    }));
    const records = Array.from({ length: PAYMENTS }, (_, i) => {
      const wallet = wallets[i % wallets.length]!;
      const counter = Math.floor(i / wallets.length) + 1;
      return PaymentRecord.sign(
        {
          walletId: wallet.walletId,
          counter,
          amount: 100 + (i % 5_000),
          currency: 978,
          merchantId: 'M-BENCH',
          terminalId: 'T-BENCH',
          terminalTime: 1_700_000_000 + i,
          nonce: randomBytes(16),
          balanceAfter: 0,
          offlineCount: counter,
          offlineAmount: 100 * counter,
        },
        wallet.key,
      );
    });
    const store = LedgerStore.open(join(dir, 'ledger.db'), { skipStartupCheck: true });
    const oneCommit: number[] = [];
    const twoCommits: number[] = [];
    for (const [i, record] of records.entries()) {
      if (i % 2 === 0) {
        oneCommit.push(timed(() => store.appendPayment(record, i, () => CHECKS)));
      } else {
        twoCommits.push(
          timed(() => storeChecks(store.db, store.appendPayment(record, i).id, CHECKS)),
        );
      }
    }
    const verifyStart = process.hrtime.bigint();
    const chain = store.verifyChain();
    const verifyMs = Number(process.hrtime.bigint() - verifyStart) / 1e6;
    store.close();
    if (!chain.ok) throw new Error(`chain broken after the bench: ${chain.reason}`);
    report({ bench: 'ledger', metric: 'payments', value: PAYMENTS, unit: 'count' });
    latency('commit', oneCommit);
    latency('two_commits', twoCommits);
    report({ bench: 'ledger', metric: 'verify_chain', value: roundMs(verifyMs), unit: 'ms' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
