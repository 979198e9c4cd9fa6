/**
 * `handset run`: the phones on vsmartcard-vpcd readers, tap-ready, online through push,
 * printing every change of state until SIGINT / SIGTERM. Each phone folder is owned by
 * this process while it runs; CLI events on it arrive through its control channel.
 */
import { PushClient } from '../platform-client';
import { PhoneFolderInUseError } from '../storage/folder-lock';
import { VpcdCard } from '../transport/vpcd';
import { virtualCardOf } from '../transport/vpcd-card';
import { executeCommand, phoneCommandFromJson } from './commands';
import { serveControl } from './control';
import { describePhone } from './format';
import { openPhone, prepareFolder, type OpenPhone } from './open-phone';

/** How often at most an online phone syncs after paying (see docs/architecture.md). */
export const SYNC_AFTER_PAYMENT_MS = 1_000;

export interface RunOptions {
  readonly dirs: readonly string[];
  /** HOST:PORT per phone; default 127.0.0.1:35963, :35964, … */
  readonly vpcd: readonly string[] | undefined;
  readonly platform: string;
}

function reportPush(push: PushClient, name: string): void {
  // One line when the link drops, one a minute at most while reconnects fail, one when it
  // is back; not one per attempt.
  let down = false;
  push.on('disconnected', ({ reason }) => {
    down = true;
    console.log(`${name}: platform offline (${reason})`);
  });
  push.on('retrying', ({ attempts, downForMs }) => {
    down = true;
    const tries = attempts === 1 ? '1 attempt' : `${attempts} attempts`;
    const since = Math.round(downForMs / 1_000);
    console.log(`${name}: platform unreachable (${tries} in ${since} s), retrying`);
  });
  push.on('connected', () => {
    if (down) console.log(`${name}: platform online again`);
    down = false;
  });
}

/** How long `run` waits for a short-lived CLI command that holds a phone folder. */
const WAIT_FOR_COMMAND_MS = 5_000;

async function takePhone(dir: string, platform: string): Promise<OpenPhone> {
  const deadline = Date.now() + WAIT_FOR_COMMAND_MS;
  for (;;) {
    try {
      return openPhone(dir, 'handset run', { platform });
    } catch (error) {
      const brief = error instanceof PhoneFolderInUseError && error.owner !== 'handset run';
      if (!brief || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

export async function runPhones(options: RunOptions): Promise<void> {
  for (const dir of options.dirs) prepareFolder(dir, 'run');
  const opened: OpenPhone[] = [];
  const stops: (() => void)[] = [];
  try {
    // All folders first: a refusal for one leaves none of them held.
    for (const dir of options.dirs) opened.push(await takePhone(dir, options.platform));
    for (const [i, { phone, link }] of opened.entries()) {
      const dir = options.dirs[i] as string;
      const control = await serveControl(dir, async (request) => ({
        ok: true,
        output: await executeCommand(phone, link, dir, phoneCommandFromJson(request)),
      }));
      stops.push(() => control.close());
      // Notices arrive by push, with pull as the fallback; an online phone syncs after it
      // pays, so its offline totals follow what the platform has settled.
      const push = new PushClient({ phone, link, syncAfterPaymentMs: SYNC_AFTER_PAYMENT_MS });
      reportPush(push, phone.name);
      push.start();
      stops.push(() => push.stop());
      const address = options.vpcd?.[i] ?? `127.0.0.1:${35963 + i}`;
      const [host = '127.0.0.1', port = String(35963 + i)] = address.split(':');
      phone.on('change', () => console.log(describePhone(phone.snapshot())));
      const card = new VpcdCard(virtualCardOf(phone), { host, port: Number(port) });
      card.on('state', ({ state, reason }) =>
        console.log(`${phone.name}: reader ${state} (${reason})`),
      );
      card.on('fault', (fault) => console.error(`${phone.name}: ${fault.message}`));
      card.insert();
      stops.push(() => card.remove());
      console.log(describePhone(phone.snapshot()));
    }
    console.log(`running ${opened.length} phone(s); CLI events on them are forwarded here`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
  } finally {
    for (const stop of stops.splice(0).reverse()) stop();
    for (const phone of opened) phone.close();
  }
}
