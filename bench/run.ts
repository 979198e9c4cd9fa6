/** `npm run bench -- <name>`: runs one benchmark (or all of them) and prints its figures. */
import { run as protocol } from './protocol';
import { run as settlement } from './settlement';
import { run as handsetPay } from './handset-pay';
import { run as handsetPcsc } from './handset-pcsc';
import { run as ledger } from './ledger';
import { run as hotlist } from './hotlist';
import { run as tap } from './tap';
import { run as app } from './app';

const benches: Record<string, () => void | Promise<void>> = {
  protocol,
  settlement,
  ledger,
  hotlist,
  tap,
  app,
  handset: async () => {
    await handsetPay();
    await handsetPcsc();
  },
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in benches));
if (unknown.length > 0) {
  console.error(`unknown bench: ${unknown.join(', ')}; known: ${Object.keys(benches).join(', ')}`);
  process.exit(2);
}
for (const name of wanted.length > 0 ? wanted : Object.keys(benches)) await benches[name]?.();
