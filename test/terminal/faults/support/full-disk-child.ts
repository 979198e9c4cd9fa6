/**
 * Run inside a private mount namespace where argv[3] is a tiny tmpfs
 * (test/terminal/faults/checkout-faults.test.ts): a till whose ledger sits on that tmpfs
 * (its phone's folder in argv[2], on the real disk) takes sales until one is not approved,
 * then the ledger is closed and reopened. Prints one JSON line of what it saw.
 */
import { join } from 'node:path';
import { LedgerStore } from '../../../../db/ledger-store';
import type { SaleResult } from '../../../../main/terminal/checkout';
import { activatePhones, openDurableTill } from './durable-till';

const [phonesDir, fullDir] = process.argv.slice(2) as [string, string];
const ledgerPath = join(fullDir, 'ledger.sqlite');
await activatePhones(phonesDir, 1);
const approvedEvents: string[] = [];
const till = await openDurableTill(phonesDir, {
  phones: 1,
  ledgerPath,
  publish: (event, payload) => {
    const state = payload as { state?: string; saleId?: string };
    if (event === 'checkout.state' && state.state === 'approved') {
      approvedEvents.push(state.saleId ?? '');
    }
  },
});
const phone = till.phones[0];
if (phone === undefined) throw new Error('no phone');
let approved = 0;
let refused: SaleResult | undefined;
while (refused === undefined && approved < 100_000) {
  const result = await till.pay(phone, 100);
  if (result.state === 'approved') approved++;
  else refused = result;
}
const signed = phone.snapshot().wallet.counter ?? 0;
const pending = till.ledger.pendingRequests().length;
try {
  await till.close();
} catch {
  // closing may fail to checkpoint on a full disk; the WAL still holds every commit
}
const reopened = LedgerStore.open(ledgerPath);
console.log(
  JSON.stringify({
    approved,
    approvedEvents: approvedEvents.length,
    refusedState: refused?.state,
    decline: refused?.decline,
    refusedSaleApproved: approvedEvents.includes(refused?.saleId ?? ''),
    signed,
    pending,
    reopenedOk: reopened.startup.ok,
    reopenedSeq: reopened.chainHead().seq,
  }),
);
reopened.close();
