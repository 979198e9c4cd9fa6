/**
 * S12's second shop: a headless terminal inside the demo world (DEMO-T2, its own ledger in
 * `<dataDir>/terminal-2`), enrolled on the embedded platform through the same real API as
 * DEMO-T1, with an emulated reader on a field of its own. Nobody sees its screens: the demo
 * rings up a sale on it, presents a phone to its field and settles its batch, through the
 * contract's handlers as a transport would. Made on first use, so a demo start stays as
 * quick as before; later uses (and later starts) reopen the same folder.
 */
import { join } from 'node:path';
import { InProcessField, type Phone } from '../../handset';
import type { BatchResultView, CheckoutState, CheckoutView } from '../../preload/contract';
import { createTerminal, type Terminal } from '../terminal';
import { EmulatedReaderDriver } from '../terminal/reader/emulated';
import type { TravelClock } from './clock';
import { demoError } from './errors';

export const DEMO_TERMINAL_2_ID = 'DEMO-T2';
const FINAL: readonly CheckoutState[] = ['approved', 'declined', 'torn', 'cancelled'];
/** A tap on the in-process field ends within milliseconds; this only stops a hang. */
const SALE_TIMEOUT_MS = 15_000;

export interface SecondTerminal {
  /** Rings up `amount`, presents `card` to the reader, and returns the sale's outcome. */
  sell(card: Phone, amount: number): Promise<CheckoutView>;
  /** Closes the period and uploads it; the platform's answer per entry, or null if empty. */
  settle(): Promise<BatchResultView | null>;
  close(): Promise<void>;
}

export interface SecondTerminalOptions {
  readonly dataDir: string;
  readonly clock: TravelClock;
  readonly platformUrl: string;
  /** A fresh single-use code enrolling DEMO-T2. */
  enrollmentCode(): Promise<{ platformUrl: string; code: string }>;
}

export async function openSecondTerminal(options: SecondTerminalOptions): Promise<SecondTerminal> {
  const field = new InProcessField('Tapsafe demo reader (terminal 2)');
  const terminal = createTerminal({
    dataDir: join(options.dataDir, 'terminal-2'),
    version: 'demo',
    transport: 'websocket',
    clock: options.clock,
    drivers: [new EmulatedReaderDriver([field])],
    pcsc: { available: false, notice: 'the demo’s second terminal has no PC/SC readers' },
  });
  try {
    const { enrollment } = terminal.services();
    if (enrollment.status().state !== 'enrolled') {
      await enrollment.enroll(await options.enrollmentCode());
    } else {
      enrollment.movePlatform(options.platformUrl);
    }
    await terminal.start();
  } catch (error) {
    await terminal.close().catch(() => undefined);
    throw error;
  }
  return {
    async sell(card, amount) {
      // The demo clock may have moved since the last sale: a fresh hotlist first, as the
      // terminal's own schedule would have fetched.
      await terminal.services().sync.syncNow();
      const started = await terminal.handlers['checkout.start']({ amount });
      const outcome = finalState(terminal, started.saleId);
      field.present(card);
      try {
        return await outcome;
      } finally {
        if (field.current === card) field.remove('sale over');
      }
    },
    async settle() {
      const batch = await terminal.handlers['settlement.close'](undefined);
      if (batch === null) return null;
      await terminal.handlers['settlement.upload'](undefined);
      return terminal.handlers['settlement.result']({ batchId: batch.batchId });
    },
    async close() {
      field.remove('demo closed');
      await terminal.close();
    },
  };
}

export interface LazySecondTerminal {
  /** The terminal, opened (and enrolled) on the first call; a failed open is tried again. */
  get(): Promise<SecondTerminal>;
  close(): Promise<void>;
}

export function lazySecondTerminal(options: SecondTerminalOptions): LazySecondTerminal {
  let opening: Promise<SecondTerminal> | undefined;
  return {
    get() {
      opening ??= openSecondTerminal(options).catch((error: unknown) => {
        opening = undefined;
        throw error;
      });
      return opening;
    },
    async close() {
      const open = opening;
      opening = undefined;
      await open?.then((terminal) => terminal.close()).catch(() => undefined);
    },
  };
}

function finalState(terminal: Terminal, saleId: string): Promise<CheckoutView> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(
        demoError('second_terminal_failed', `the sale at ${DEMO_TERMINAL_2_ID} did not finish`),
      );
    }, SALE_TIMEOUT_MS);
    const stop = terminal.events.subscribe((name, payload) => {
      if (name !== 'checkout.state') return;
      const view = payload as CheckoutView;
      if (view.saleId !== saleId || !FINAL.includes(view.state)) return;
      clearTimeout(timer);
      stop();
      resolve(view);
    });
  });
}
