/**
 * Appends payments to the ledger at argv[2] in a loop, writing each committed payment id to
 * stdout (synchronously) only after appendPayment returned, until it is killed.
 */
import { writeSync } from 'node:fs';
import { LedgerStore } from '../../../db/ledger-store';
import { record, walletFrom } from './ledger';

const [path, walletIdHex, scalarHex] = process.argv.slice(2) as [string, string, string];
const store = LedgerStore.open(path);
if (!store.startup.ok) {
  writeSync(1, `broken ${JSON.stringify(store.startup)}\n`);
  process.exit(1);
}
const wallet = walletFrom(walletIdHex, scalarHex);
let counter = store.highestCounter(wallet.walletId) ?? 0;
writeSync(1, 'ready\n');
for (;;) {
  counter++;
  const row = store.appendPayment(record(wallet, counter), counter);
  writeSync(1, `${row.id}\n`);
}
