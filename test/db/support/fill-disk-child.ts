/**
 * Run inside a private mount namespace on a tiny tmpfs (test/db/disk-full.test.ts): appends
 * payments until the disk is full, then prints what the ledger holds as one JSON line.
 */
import { isLedgerError } from '../../../db/errors';
import { LedgerStore } from '../../../db/ledger-store';
import { newWallet, record } from './ledger';

const path = process.argv[2] as string;
const store = LedgerStore.open(path);
const w = newWallet();
let committed = 0;
let code: string;
for (;;) {
  try {
    store.appendPayment(record(w, committed + 1, 1_000), committed + 1);
    committed++;
  } catch (error) {
    code = isLedgerError(error) ? error.code : String(error);
    break;
  }
}
const failedCounterStored = store.payment(w.walletId, committed + 1) !== undefined;
const highest = store.highestCounter(w.walletId);
const chainOk = store.verifyChain().ok;
// Close and open again: everything committed is there, the failed payment is not.
try {
  store.close();
} catch {
  // closing may fail to checkpoint on a full disk; the WAL still holds every commit
}
const reopened = LedgerStore.open(path);
const result = {
  code,
  committed,
  failedCounterStored,
  highest,
  chainOk,
  reopenedOk: reopened.startup.ok,
  reopenedSeq: reopened.chainHead().seq,
};
reopened.close();
console.log(JSON.stringify(result));
