/**
 * The terminal under kill -9 (test/terminal/faults/kill-checkout.test.ts, bench/tap.ts):
 * opens the durable till in argv[2] with argv[3] phones and takes sales round the phones
 * until it is killed. Every line is written synchronously, so a line on stdout happened:
 *   `phone <walletIdHex> <counter>`  each phone's own counter at start;
 *   `ready`                          the loop starts;
 *   `approved <walletIdHex> <counter>` after each "approved" the cashier saw (committed);
 *   `recovered <walletIdHex> <counter>` a torn payment of an earlier run, completed now;
 *   `declined <code> <detail>`       a sale that was not approved (never expected here).
 * With argv[4] = `once` it takes one sale per phone, prints `done` and exits.
 */
import { writeSync } from 'node:fs';
import { walletHex, openDurableTill, type CheckoutStateEvent } from './durable-till';

const [dir, phoneCount, mode] = process.argv.slice(2) as [string, string, string | undefined];
const say = (line: string) => writeSync(1, `${line}\n`);

interface RecoveredEvent {
  readonly payment: { readonly walletId: string; readonly counter: number };
}

const till = await openDurableTill(dir, {
  phones: Number(phoneCount),
  publish(event, payload) {
    if (event === 'checkout.state') {
      const state = payload as CheckoutStateEvent;
      if (state.state === 'approved' && state.payment) {
        say(`approved ${state.payment.walletId} ${state.payment.counter}`);
      }
    } else if (event === 'checkout.recovered') {
      const { payment } = payload as RecoveredEvent;
      say(`recovered ${payment.walletId} ${payment.counter}`);
    }
  },
});
if (!till.ledger.startup.ok) {
  say(`broken ${JSON.stringify(till.ledger.startup)}`);
  process.exit(1);
}
for (const phone of till.phones)
  say(`phone ${walletHex(phone)} ${phone.snapshot().wallet.counter}`);
say('ready');
const rounds = mode === 'once' ? 1 : Infinity;
for (let round = 0; round < rounds; round++) {
  for (const [index, phone] of till.phones.entries()) {
    const result = await till.pay(phone, 1 + ((round + index) % 99));
    if (result.state !== 'approved')
      say(`declined ${result.decline?.code} ${result.decline?.detail}`);
  }
}
for (const phone of till.phones)
  say(`final ${walletHex(phone)} ${phone.snapshot().wallet.counter}`);
await till.close();
say('done');
