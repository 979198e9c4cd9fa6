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
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LedgerStore } from '../../db/ledger-store';
import { TerminalStore } from '../../db/terminal-store';
import type { TransportKind } from '../../preload/contract';
import { createTerminal, type Terminal } from '../terminal';
import type { KeySealer } from '../terminal/enrollment';
import { EmulatedReaderDriver } from '../terminal/reader/emulated';
import { PcscReaderDriver } from '../terminal/reader/pcsc/driver';
import { pcscStack } from '../terminal/reader/pcsc/load';
import type { ReaderDriver } from '../terminal/reader/reader';
import { startDemo, type Demo } from './world';

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

export interface LaunchedTerminal extends Terminal {
  readonly mode: 'demo' | 'merchant';
}

/** A terminal folder with an enrollment in it: a real merchant's terminal. */
export function merchantTerminalExists(appDataDir: string): boolean {
  const ledgerPath = join(appDataDir, 'terminal', 'ledger.sqlite');
  if (!existsSync(ledgerPath)) return false;
  const ledger = LedgerStore.open(ledgerPath);
  try {
    return new TerminalStore(ledger.db).identity() !== undefined;
  } finally {
    ledger.close();
  }
}

function pcscDrivers(options: LaunchOptions): { drivers: ReaderDriver[]; notice: string | null } {
  if (options.pcsc === false) return { drivers: [], notice: 'PC/SC readers are turned off' };
  const stack = pcscStack();
  return stack.available
    ? { drivers: [new PcscReaderDriver({ stack })], notice: null }
    : { drivers: [], notice: stack.notice };
}

export async function launchTerminal(options: LaunchOptions): Promise<LaunchedTerminal> {
  const pcsc = pcscDrivers(options);
  const common = {
    version: options.version,
    transport: options.transport,
    pcsc: { available: pcsc.notice === null, notice: pcsc.notice },
    ...(options.keySealer === undefined ? {} : { keySealer: options.keySealer }),
    ...(options.logError === undefined ? {} : { logError: options.logError }),
  };
  if (merchantTerminalExists(options.appDataDir)) {
    const terminal = createTerminal({
      ...common,
      dataDir: join(options.appDataDir, 'terminal'),
      drivers: pcsc.drivers,
    });
    await terminal.start();
    return { ...terminal, mode: 'merchant' };
  }
  return launchDemo(options, common, pcsc.drivers);
}

async function launchDemo(
  options: LaunchOptions,
  common: Omit<Parameters<typeof createTerminal>[0], 'dataDir' | 'drivers'>,
  pcscDrivers: ReaderDriver[],
): Promise<LaunchedTerminal> {
  const demoDir = join(options.appDataDir, 'demo');
  let publishDemo: ((view: ReturnType<Demo['view']>) => void) | undefined;
  const demo = await startDemo({
    dataDir: demoDir,
    publish: (_event, view) => publishDemo?.(view),
  });
  let terminal: Terminal | undefined;
  try {
    terminal = createTerminal({
      ...common,
      dataDir: join(demoDir, 'terminal'),
      clock: demo.clock,
      drivers: [new EmulatedReaderDriver([demo.field]), ...pcscDrivers],
      demo: {
        view: () => demo.view(),
        action: (phoneId, action, amount) => demo.action(phoneId, action, amount),
        timeTravel: (seconds) => demo.timeTravel(seconds),
      },
    });
    const events = terminal.events;
    publishDemo = (view) => events.publish('demo.changed', view);
    const { enrollment, sync } = terminal.services();
    if (enrollment.status().state !== 'enrolled') {
      await enrollment.enroll(await demo.enrollmentCode());
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
    ...running,
    mode: 'demo',
    async close() {
      await running.close();
      await demo.close();
    },
  };
}
