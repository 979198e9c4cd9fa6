/**
 * `npm run handset -- <command>`: emulated phones run from a terminal. Each phone lives in
 * its own state folder (identity, device state, sealed wallet), owned by one process at a
 * time. `run` puts phones on the real PC/SC stack as vpcd virtual cards, tap-ready, and
 * prints every change of state; any other command on a phone that a `run` holds is
 * forwarded to it (control.ts), so events reach the phone on the reader.
 */
import { parseArgs } from 'node:util';
import { isPlatformRequestError } from '../platform-client';
import { PhoneFolderInUseError } from '../storage/folder-lock';
import { executeCommand, phoneCommand, UsageError, type PhoneCommand } from './commands';
import { sendControl } from './control';
import { openPhone, platformUrl, prepareFolder } from './open-phone';
import { runPhones } from './run';

const USAGE = `usage: npm run handset -- <command> --phone DIR [options]

commands
  status      --phone DIR                      print the phone's state
  activate    --phone DIR --account A [--password P] [--id-number N]
              a new phone (the folder is created, and kept only if activation succeeds)
  reactivate  --phone DIR --account A [--password P] [--id-number N] [--previous WALLET_ID]
              a new phone replacing a lost one: new wallet, and the lost wallet's
              e-cash moved to it minus the risk hold (report the old phone lost first)
  unlock      --phone DIR --account A [--password P] [--id-number N]
  sync        --phone DIR
  swap-sim    --phone DIR --imsi DIGITS        put another SIM in the phone
  swap-device --phone DIR --imei DIGITS        move the SIM and wallet data to another handset
  power-off | power-on | lose-signal | regain-signal  --phone DIR
  run         --phone DIR [--phone DIR …] [--vpcd HOST:PORT …]
              put the phones on vsmartcard-vpcd readers (default 127.0.0.1:35963, :35964, …)
              and print their state as it changes, until Ctrl-C; the other commands on
              these phones are forwarded to it meanwhile
  help        this text

options
  --password   default $TAPSAFE_USER_PASSWORD
  --id-number  default $TAPSAFE_USER_ID_NUMBER (needed when the account has one on file)
  --imei, --imsi   identity of a new phone (default: random test identities)
  --platform   platform URL (default $TAPSAFE_PLATFORM_URL, else http://127.0.0.1:$PORT,
               PORT defaulting to 8787 as for \`npm run platform\`)`;

const options = {
  phone: { type: 'string', multiple: true },
  platform: { type: 'string' },
  vpcd: { type: 'string', multiple: true },
  account: { type: 'string' },
  password: { type: 'string' },
  'id-number': { type: 'string' },
  imei: { type: 'string' },
  imsi: { type: 'string' },
  previous: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parse(argv);
  const [name, ...extra] = positionals;
  if (values.help || name === undefined || name === 'help') {
    console.log(USAGE);
    return;
  }
  if (extra.length > 0) throw new UsageError(`unexpected ${extra.join(' ')}`);
  const dirs = values.phone ?? [];
  const platform = platformUrl(values.platform, process.env);
  if (name === 'run') {
    if (dirs.length === 0) throw new UsageError('--phone DIR is required');
    return runPhones({ dirs, vpcd: values.vpcd, platform }).catch((error: unknown) => {
      if (!(error instanceof PhoneFolderInUseError) || error.owner !== 'handset run') throw error;
      throw new Error(
        `${error.message}: a phone runs in one \`handset run\` at a time; the other ` +
          'commands on it (swap-sim, power-off, …) are forwarded to that one',
      );
    });
  }
  // Every usage error is found here, before any folder is looked at.
  const command = phoneCommand(name, values);
  const [dir, ...others] = dirs;
  if (dir === undefined) throw new UsageError('--phone DIR is required');
  if (others.length > 0) throw new UsageError(`${name} takes one --phone`);

  const wanted = { imei: values.imei, imsi: values.imsi };
  // A `run` that has just started holds the folder a moment before its channel listens:
  // wait for the channel then, rather than refuse.
  const deadline = Date.now() + RUN_STARTUP_MS;
  for (;;) {
    const forwarded = await sendControl(dir, command);
    if (forwarded !== undefined) {
      if (!forwarded.ok) throw new Error(forwarded.error);
      console.log(forwarded.output);
      return;
    }
    try {
      return await runHere(dir, name, command, { platform, wanted });
    } catch (error) {
      const starting = error instanceof PhoneFolderInUseError && error.owner === 'handset run';
      if (!starting || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

const RUN_STARTUP_MS = 5_000;

/** Runs the command in this process, owning the folder meanwhile; a failure leaves none. */
async function runHere(
  dir: string,
  name: string,
  command: PhoneCommand,
  options: Parameters<typeof openPhone>[2],
): Promise<void> {
  const undo = prepareFolder(dir, name);
  let succeeded = false;
  try {
    const open = openPhone(dir, `handset ${name}`, options);
    try {
      console.log(await executeCommand(open.phone, open.link, dir, command));
      succeeded = true;
    } finally {
      open.close();
    }
  } finally {
    if (!succeeded) undo();
  }
}

/** The one line a failure prints, with what to do about it where there is something. */
function explain(error: unknown): string {
  if (error instanceof PhoneFolderInUseError) {
    // A run forwards events once its control channel is up; any other owner ends soon.
    return error.owner === 'handset run'
      ? `${error.message}, which is starting or stopping; try again in a moment`
      : `${error.message}; try again once it has ended`;
  }
  const message = error instanceof Error ? error.message : String(error);
  if (isPlatformRequestError(error) && error.details.field === 'registration.idNumber') {
    return `${message} (give it with --id-number or TAPSAFE_USER_ID_NUMBER)`;
  }
  return message;
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const usage = error instanceof UsageError;
  console.error(usage ? `${error.message}\n\n${USAGE}` : `handset: ${explain(error)}`);
  process.exitCode = usage ? 2 : 1;
});
