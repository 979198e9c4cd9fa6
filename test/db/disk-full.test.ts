/**
 * A full disk while committing a payment: the append fails with `disk_full`, and nothing of
 * it is committed. Two ways: SQLite's max_page_count (a database that cannot grow: runs
 * everywhere, same SQLITE_FULL path), and — when the test runs as root and may make a mount
 * namespace — a real 1 MiB tmpfs filled to the last byte, where the WAL write itself fails.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isLedgerError } from '../../db/errors';
import { LedgerStore } from '../../db/ledger-store';
import { newWallet, record, useTempDir } from './support/ledger';
import { canMountTmpfs } from './support/tmpfs';

const tempDir = useTempDir('ledger-full');

describe('disk full', () => {
  it('a database at max_page_count: disk_full, nothing committed', () => {
    const store = LedgerStore.open(join(tempDir(), 'ledger.db'));
    const w = newWallet();
    store.appendPayment(record(w, 1), 1);
    const pages = store.db.pragma('page_count', { simple: true }) as number;
    store.db.pragma(`max_page_count = ${pages}`);
    let counter = 1;
    let error: unknown;
    for (; counter < 10_000 && error === undefined;) {
      try {
        store.appendPayment(record(w, counter + 1, 9_999), counter + 1);
        counter++;
      } catch (e) {
        error = e;
      }
    }
    expect(isLedgerError(error, 'disk_full')).toBe(true);
    expect(store.payment(w.walletId, counter + 1)).toBeUndefined();
    expect(store.highestCounter(w.walletId)).toBe(counter);
    expect(store.chainHead().seq).toBe(counter);
    expect(store.verifyChain().ok).toBe(true);
    store.close();
  });

  it.runIf(canMountTmpfs())('a real full filesystem (tmpfs): disk_full, nothing committed', () => {
    const dir = tempDir();
    const child = join(import.meta.dirname, 'support', 'fill-disk-child.ts');
    const script = `mount -t tmpfs -o size=1m tmpfs "${dir}" && exec "${process.execPath}" --import tsx "${child}" "${dir}/ledger.db"`;
    const out = execFileSync('unshare', ['--mount', 'sh', '-c', script], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    const report = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
    expect(report).toMatchObject({
      code: 'disk_full',
      failedCounterStored: false,
      chainOk: true,
      reopenedOk: true,
    });
    expect(report.committed).toBeGreaterThan(10);
    expect(report.highest).toBe(report.committed);
    expect(report.reopenedSeq).toBe(report.committed);
  });
});
