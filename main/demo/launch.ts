/**
 * What `npm start` and the Electron window run: the terminal in the mode its folder says.
 *
 * - `<appData>/terminal/` holds an enrolled terminal (a real merchant's): the terminal
 *   services on the PC/SC readers, talking to the merchant's platform.
 * - Otherwise demo mode, in `<appData>/demo/`: the embedded platform, emulated phones on
 *   the emulated reader (and the PC/SC readers when the stack is there), the demo terminal
 *   enrolled through the embedded platform's real API on first start.
 *
 * Both share one composition root, createTerminal; this module only chooses its parts.
 */
import { join } from 'node:path';
import {
  METHOD_PARAMS,
  type ApiEvents,
  type ApiMethodName,
  type TransportKind,
} from '../../preload/contract';
import { createTerminal, type DemoControls, type Terminal } from '../terminal';
import type { Handlers } from '../terminal/api/dispatch';
import { TerminalError } from '../terminal/errors';
import { createEventBus, statusEvent, type EventBus } from '../terminal/events';
import type { KeySealer } from '../terminal/enrollment';
import { EmulatedReaderDriver } from '../terminal/reader/emulated';
import { PcscReaderDriver } from '../terminal/reader/pcsc/driver';
import { pcscStack } from '../terminal/reader/pcsc/load';
import type { ReaderDriver } from '../terminal/reader/reader';
import { merchantTerminalExists } from './launch-mode';
import type { Demo } from './demo';
import { startDemo } from './world';

export interface LaunchOptions {
  /** The user's app-data folder (Electron's userData; TAPSAFE_DATA_DIR for the browser host). */
  readonly appDataDir: string;
  readonly version: string;
  readonly transport: TransportKind;
  readonly keySealer?: KeySealer;
  readonly logError?: (error: unknown) => void;
  /** false: no PC/SC driver even where the stack is installed (tests). */
  readonly pcsc?: boolean;
}

export type LaunchMode = 'demo' | 'merchant';

/**
 * The terminal the hosts carry. Its handler table and event bus stay the same objects while
 * the terminal behind them is replaced: back to demo mode (`app.setMode`), or into the
 * merchant's terminal when demo mode enrolls a real one (`enrollment.enroll`).
 */
export interface LaunchedTerminal {
  readonly handlers: Handlers;
  readonly events: EventBus<ApiEvents>;
  mode(): LaunchMode;
  /** The running terminal (tests and the demo launcher reach its services). */
  current(): Terminal;
  close(): Promise<void>;
}

export { merchantTerminalExists };

/**
 * Demo mode looks for pcscd once at start and does not wait for it (a merchant's terminal
 * waits two seconds): its own reader is the emulated one.
 */
const DEMO_PCSCD_WAIT_MS = 0;

function pcscDrivers(
  options: LaunchOptions,
  startTimeoutMs?: number,
): { drivers: ReaderDriver[]; notice: string | null } {
  if (options.pcsc === false) return { drivers: [], notice: 'PC/SC readers are turned off' };
  const stack = pcscStack();
  // Without pcscd the driver keeps waiting for it in the background, and readers.changed
  // says when its readers come.
  const timeout = startTimeoutMs === undefined ? {} : { startTimeoutMs };
  return stack.available
    ? { drivers: [new PcscReaderDriver({ stack, ...timeout })], notice: null }
    : { drivers: [], notice: stack.notice };
}

/** The demo panel's methods of the terminal, on the demo world. */
export function demoControls(demo: Demo): DemoControls {
  return {
    view: () => demo.view(),
    action: (phoneId, action, amount) => demo.action(phoneId, action, amount),
    timeTravel: (seconds) => demo.timeTravel(seconds),
    forgedTap: (phoneId, forgery) => demo.forgedTap(phoneId, forgery),
    platform: (online) => demo.setPlatformOnline(online),
    addPhone: (label) => demo.addPhone(label),
  };
}

/** A presenter taking the platform offline sees the upload fail in seconds, not minutes. */
const DEMO_SETTLEMENT_BACKOFF = { baseMs: 300, maxMs: 1_000, maxAttempts: 3 };

interface Running {
  readonly mode: LaunchMode;
  readonly terminal: Terminal;
  close(): Promise<void>;
}

export async function launchTerminal(options: LaunchOptions): Promise<LaunchedTerminal> {
  const events = createEventBus<ApiEvents>(options.logError);
  const start = (mode: LaunchMode): Promise<Running> =>
    mode === 'merchant' ? launchMerchant(options) : launchDemo(options);
  let running = await start(merchantTerminalExists(options.appDataDir) ? 'merchant' : 'demo');
  let forwarding = running.terminal.events.subscribe((name, payload) =>
    events.publish(name, payload),
  );
  let switching: Promise<unknown> = Promise.resolve();

  /** One switch at a time: close what runs, then start the other. */
  const switchTo = (next: () => Promise<Running>) => {
    const done = switching.then(async () => {
      forwarding();
      await running.close();
      running = await next().catch(async (error: unknown) => {
        running = await start(running.mode); // never left without a terminal
        throw error;
      });
      forwarding = running.terminal.events.subscribe((name, payload) =>
        events.publish(name, payload),
      );
      events.publish('app.status', statusEvent('info', `Now in ${running.mode} mode.`));
    });
    switching = done.catch(() => undefined);
    return done;
  };

  const delegated = Object.fromEntries(
    (Object.keys(METHOD_PARAMS) as ApiMethodName[]).map((method) => [
      method,
      (params: unknown) =>
        (running.terminal.handlers[method] as (params: unknown) => unknown)(params),
    ]),
  ) as unknown as Handlers;

  const handlers: Handlers = {
    ...delegated,
    'app.setMode': async ({ mode }) => {
      if (mode === running.mode) return running.terminal.handlers['app.info'](undefined);
      if (mode === 'merchant' && !merchantTerminalExists(options.appDataDir)) {
        throw new TerminalError(
          'not_enrolled',
          'no merchant terminal here yet: enroll one in Settings with a code from the platform',
        );
      }
      await switchTo(() => start(mode));
      return running.terminal.handlers['app.info'](undefined);
    },
    'enrollment.enroll': async (input) => {
      if (running.mode === 'merchant') {
        return running.terminal.handlers['enrollment.enroll'](input);
      }
      // Demo mode enrolls the merchant's own terminal, in its own folder, then moves to it.
      const merchant = createTerminal(merchantDeps(options));
      let enrolled;
      try {
        enrolled = await merchant.handlers['enrollment.enroll'](input);
      } finally {
        await merchant.close();
      }
      await switchTo(() => start('merchant'));
      return { ...enrolled, mode: 'enrolled' as const };
    },
  };

  return {
    handlers,
    events,
    mode: () => running.mode,
    current: () => running.terminal,
    async close() {
      await switching;
      forwarding();
      await running.close();
    },
  };
}

function merchantDeps(options: LaunchOptions): Parameters<typeof createTerminal>[0] {
  const pcsc = pcscDrivers(options);
  return {
    ...commonDeps(options, pcsc.notice),
    dataDir: join(options.appDataDir, 'terminal'),
    drivers: pcsc.drivers,
  };
}

function commonDeps(options: LaunchOptions, pcscNotice: string | null) {
  return {
    version: options.version,
    transport: options.transport,
    pcsc: { available: pcscNotice === null, notice: pcscNotice },
    ...(options.keySealer === undefined ? {} : { keySealer: options.keySealer }),
    ...(options.logError === undefined ? {} : { logError: options.logError }),
  };
}

async function launchMerchant(options: LaunchOptions): Promise<Running> {
  const terminal = createTerminal(merchantDeps(options));
  await terminal.start();
  return { mode: 'merchant', terminal, close: () => terminal.close() };
}

async function launchDemo(options: LaunchOptions): Promise<Running> {
  const pcsc = pcscDrivers(options, DEMO_PCSCD_WAIT_MS);
  const demoDir = join(options.appDataDir, 'demo');
  let publishDemo: ((view: ReturnType<Demo['view']>) => void) | undefined;
  const demo = await startDemo({
    dataDir: demoDir,
    publish: (_event, view) => publishDemo?.(view),
  });
  let terminal: Terminal | undefined;
  try {
    terminal = createTerminal({
      ...commonDeps(options, pcsc.notice),
      dataDir: join(demoDir, 'terminal'),
      clock: demo.clock,
      drivers: [new EmulatedReaderDriver([demo.field]), ...pcsc.drivers],
      demo: demoControls(demo),
      settlementBackoff: DEMO_SETTLEMENT_BACKOFF,
    });
    const events = terminal.events;
    publishDemo = (view) => events.publish('demo.changed', view);
    const { enrollment, sync } = terminal.services();
    if (enrollment.status().state !== 'enrolled') {
      await enrollment.enroll(await demo.enrollmentCode());
    } else {
      // The embedded platform listens on a new port at each start.
      enrollment.movePlatform(demo.platformUrl);
    }
    // The demo's hotlist is current from the first sale: sync before taking one.
    await sync.syncNow();
    await terminal.start();
  } catch (error) {
    await terminal?.close().catch(() => undefined);
    await demo.close();
    throw error;
  }
  const running = terminal;
  return {
    mode: 'demo',
    terminal: running,
    async close() {
      await running.close();
      await demo.close();
    },
  };
}
