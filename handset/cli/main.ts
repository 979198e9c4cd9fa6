/**
 * `npm run handset -- <command>`: emulated phones run from a terminal. Each phone lives in
 * its own state folder (identity, device state, sealed wallet). `run` puts phones on the
 * real PC/SC stack as vpcd virtual cards, tap-ready, and prints every change of state.
 */
import { parseArgs } from 'node:util';
import { createPhone, type Phone } from '../phone';
import { VpcdCard } from '../transport/vpcd';
import { virtualCardOf } from '../transport/vpcd-card';
import { forReactivation, HttpPlatformLink, PushClient } from '../platform-client';
import { describePhone, describeReactivation } from './format';
import { loadIdentity, saveIdentity } from './identity';

const USAGE = `usage: npm run handset -- <command> [options]

commands
  status     --phone DIR                      print the phone's state
  activate   --phone DIR --account A --password P [--platform URL]
  reactivate --phone DIR --account A --password P [--previous WALLET_ID] [--platform URL]
             a new phone replacing a lost one: new wallet, and the lost wallet's
             e-cash moved to it minus the risk hold (report the old phone lost first)
  unlock     --phone DIR --account A --password P [--platform URL]
  sync       --phone DIR [--platform URL]
  swap-sim   --phone DIR --imsi DIGITS        put another SIM in the phone
  swap-device --phone DIR --imei DIGITS       move the SIM and wallet data to another handset
  power-off | power-on | lose-signal | regain-signal  --phone DIR
  run        --phone DIR [--phone DIR …] [--vpcd HOST:PORT …] [--platform URL]
             put the phones on vsmartcard-vpcd readers (default 127.0.0.1:35963, :35964, …)
             and print their state as it changes, until Ctrl-C

options
  --imei, --imsi   identity of a new phone (default: random test identities)
  --platform       platform URL (default $TAPSAFE_PLATFORM_URL or http://127.0.0.1:8787)`;

const options = {
  phone: { type: 'string', multiple: true },
  platform: { type: 'string' },
  vpcd: { type: 'string', multiple: true },
  account: { type: 'string' },
  password: { type: 'string' },
  imei: { type: 'string' },
  imsi: { type: 'string' },
  previous: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

class UsageError extends Error {}

type Values = ReturnType<
  typeof parseArgs<{ options: typeof options; allowPositionals: true }>
>['values'];

function required(value: string | undefined, name: string): string {
  if (!value) throw new UsageError(`--${name} is required`);
  return value;
}

function platformUrl(values: Values): string {
  return values.platform ?? process.env.TAPSAFE_PLATFORM_URL ?? 'http://127.0.0.1:8787';
}

/** Opens the phone in `dir`, linked to the platform: its wallet signs its own requests. */
function openPhone(dir: string, values: Values): { phone: Phone; link: HttpPlatformLink } {
  const identity = loadIdentity(dir, { imei: values.imei, imsi: values.imsi });
  const link = new HttpPlatformLink({ baseUrl: platformUrl(values) });
  const phone = createPhone({ stateDir: dir, ...identity, platform: link });
  link.attach(phone.wallet);
  return { phone, link };
}

function registration(values: Values) {
  return {
    accountId: required(values.account, 'account'),
    password: required(values.password, 'password'),
  };
}

async function runPhones(dirs: string[], values: Values): Promise<void> {
  const addresses = values.vpcd ?? dirs.map((_, i) => `127.0.0.1:${35963 + i}`);
  const cards: VpcdCard[] = [];
  const pushes: PushClient[] = [];
  const phones = dirs.map((dir, i) => {
    const { phone, link } = openPhone(dir, values);
    // Notices (unlock, top-up, balance updates) arrive by push, with pull as the fallback.
    const push = new PushClient({ phone, link });
    // One line when the link drops, one a minute at most while reconnects fail, one when
    // it is back; not one per attempt.
    let down = false;
    push.on('disconnected', ({ reason }) => {
      down = true;
      console.log(`${phone.name}: platform offline (${reason})`);
    });
    push.on('retrying', ({ attempts, downForMs }) => {
      down = true;
      const tries = attempts === 1 ? '1 attempt' : `${attempts} attempts`;
      const since = Math.round(downForMs / 1_000);
      console.log(`${phone.name}: platform unreachable (${tries} in ${since} s), retrying`);
    });
    push.on('connected', () => {
      if (down) console.log(`${phone.name}: platform online again`);
      down = false;
    });
    push.start();
    pushes.push(push);
    const [host = '127.0.0.1', port = String(35963 + i)] = (addresses[i] ?? '').split(':');
    phone.on('change', () => console.log(describePhone(phone.snapshot())));
    const card = new VpcdCard(virtualCardOf(phone), { host, port: Number(port) });
    card.on('state', ({ state, reason }) =>
      console.log(`${phone.name}: reader ${state} (${reason})`),
    );
    card.on('fault', (fault) => console.error(`${phone.name}: ${fault.message}`));
    card.insert();
    cards.push(card);
    console.log(describePhone(phone.snapshot()));
    return phone;
  });
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  for (const push of pushes) push.stop();
  for (const card of cards) card.remove();
  for (const phone of phones) phone.close();
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true });
  const [command] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return;
  }
  const dirs = values.phone ?? [];
  const dir = dirs[0];
  if (!dir) throw new UsageError('--phone DIR is required');
  if (command === 'run') return runPhones(dirs, values);

  const { phone, link } = openPhone(dir, values);
  try {
    switch (command) {
      case 'status':
        break;
      case 'activate':
        await phone.activate(registration(values));
        break;
      case 'reactivate': {
        await phone.activate(forReactivation(registration(values), values.previous?.toLowerCase()));
        if (link.lastReactivation) console.log(describeReactivation(link.lastReactivation));
        break;
      }
      case 'unlock':
        await phone.requestUnlock(registration(values));
        break;
      case 'sync':
        await phone.sync();
        break;
      case 'swap-sim': {
        const imsi = required(values.imsi, 'imsi');
        phone.swapSim(imsi);
        saveIdentity(dir, { ...loadIdentity(dir), imsi });
        break;
      }
      case 'swap-device': {
        const imei = required(values.imei, 'imei');
        phone.swapDevice(imei);
        saveIdentity(dir, { ...loadIdentity(dir), imei });
        break;
      }
      case 'power-off':
        phone.powerOff();
        break;
      case 'power-on':
        phone.powerOn();
        break;
      case 'lose-signal':
        phone.loseSignal();
        break;
      case 'regain-signal':
        phone.regainSignal();
        break;
      default:
        throw new UsageError(`unknown command ${command}`);
    }
    console.log(describePhone(phone.snapshot()));
  } finally {
    phone.close();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(error instanceof UsageError ? `${message}\n\n${USAGE}` : `handset: ${message}`);
  process.exitCode = error instanceof UsageError ? 2 : 1;
});
