/**
 * `npm run bench -- ledger`: commit latency of the terminal's ledger. 2,000 signed payment
 * records (signed beforehand) appended one by one to a fresh ledger file with WAL and
 * synchronous=FULL, each appendPayment timed from call to durable commit. Goal: p99 ≤ 1 ms.
 * LEDGER_BENCH_PAYMENTS changes the count; LEDGER_BENCH_DIR the folder (default: os tmpdir).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PaymentRecord, generateSigningKey } from '../protocol';
import { LedgerStore } from '../db/ledger-store';
import { percentile, report, roundMs } from './report';

const PAYMENTS = Number(process.env.LEDGER_BENCH_PAYMENTS ?? 2_000);

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
    const ms: number[] = [];
    for (const [i, record] of records.entries()) {
      const start = process.hrtime.bigint();
      store.appendPayment(record, i);
      ms.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    const verifyStart = process.hrtime.bigint();
    const chain = store.verifyChain();
    const verifyMs = Number(process.hrtime.bigint() - verifyStart) / 1e6;
    store.close();
    if (!chain.ok) throw new Error(`chain broken after the bench: ${chain.reason}`);
    ms.sort((a, b) => a - b);
    report({ bench: 'ledger', metric: 'payments', value: PAYMENTS, unit: 'count' });
    report({
      bench: 'ledger',
      metric: 'commit_p50',
      value: roundMs(percentile(ms, 50)),
      unit: 'ms',
    });
    report({
      bench: 'ledger',
      metric: 'commit_p99',
      value: roundMs(percentile(ms, 99)),
      unit: 'ms',
    });
    report({ bench: 'ledger', metric: 'commit_max', value: roundMs(ms.at(-1) ?? 0), unit: 'ms' });
    report({ bench: 'ledger', metric: 'verify_chain', value: roundMs(verifyMs), unit: 'ms' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
