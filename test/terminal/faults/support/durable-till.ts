/**
 * A terminal whose state lives in one folder and survives its process: the ledger
 * (`ledger.sqlite`) and the phones' own folders (`phone-<i>`), with the real checkout over
 * the real reader service and EmulatedReaderDriver on one in-process field. No platform:
 * the trust set-up is the test issuer's (a certificate for the test terminal key, an empty
 * in-memory hotlist), and the phones were activated once, offline, by that issuer
 * (activatePhones). Limits are set high and both clocks stand still at SIMULATION_EPOCH,
 * so thousands of payments need no sync: this rig is about the terminal's durability.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import {
  createPhone,
  InProcessField,
  SIMULATION_EPOCH,
  SimulatedClock,
  type Phone,
} from '../../../../handset';
import { LedgerStore } from '../../../../db/ledger-store';
import {
  createCheckoutService,
  type CheckoutService,
  type CheckoutStateEvent,
  type SaleResult,
} from '../../../../main/terminal/checkout';
import type { TerminalParameters, TerminalSetup } from '../../../../main/terminal/model';
import {
  EmulatedReaderDriver,
  type EmulatedField,
} from '../../../../main/terminal/reader/emulated';
import type { ReaderDriver } from '../../../../main/terminal/reader/reader';
import { createReaderService, type ReaderService } from '../../../../main/terminal/reader/service';
import { DAY, EUR, TestPlatform, type TestPolicy } from '../../../handset/support/platform';
import { certifyTerminal, terminalKey } from '../../../handset/support/terminal';
import { MemoryHotlist, trustKey } from '../../support/world';

export { EUR };
export const LEDGER_FILE = 'ledger.sqlite';
const REGISTRATION = { accountId: 'ACC-DURABLE', password: 'correct horse battery' };

/** Room for many thousand small payments per phone without a sync. */
const POLICY: Partial<TestPolicy> = {
  initialBalance: 1_000_000_000,
  limitOfflineAmount: 1_000_000_000,
  limitOfflineCount: 65_535,
};

const parameters: TerminalParameters = {
  currency: EUR,
  limitPerPayment: 5_000,
  limitOfflineAmount: 1_000_000_000,
  limitOfflineCount: 65_535,
  freshnessMaxAgeSeconds: 2 * DAY,
  hotlistMaxAgeSeconds: DAY,
  settlement: { periodSeconds: DAY, uploadWithinSeconds: 6 * 3_600 },
};

const identityOf = (index: number) => {
  const digits = String(10_000 + index);
  return { imei: `4901542032${digits}`, imsi: `3101501234${digits}` };
};

function openPhone(dir: string, index: number, clock: SimulatedClock, platform?: TestPlatform) {
  return createPhone({
    stateDir: join(dir, `phone-${index}`),
    ...identityOf(index),
    clock,
    ...(platform ? { platform } : {}),
    name: `phone-${index}`,
  });
}

/** Activates `count` phones in `dir` (once, before any till opens it); their wallet ids, hex. */
export async function activatePhones(dir: string, count: number): Promise<string[]> {
  const clock = new SimulatedClock(SIMULATION_EPOCH);
  const platform = new TestPlatform(clock, POLICY);
  platform.register(REGISTRATION.accountId, REGISTRATION.password);
  const ids: string[] = [];
  for (let index = 0; index < count; index++) {
    const phone = openPhone(dir, index, clock, platform);
    await phone.activate(REGISTRATION);
    ids.push(walletHex(phone));
    phone.close();
  }
  return ids;
}

export const walletHex = (phone: Phone): string =>
  Buffer.from(phone.wallet.walletId as Uint8Array).toString('hex');

export interface DurableTill {
  readonly ledger: LedgerStore;
  readonly checkout: CheckoutService;
  readonly readers: ReaderService;
  /** The emulated reader's field (unused when another driver was given). */
  readonly field: InProcessField;
  readonly phones: readonly Phone[];
  /** Test hook: runs before each command reaches the phone (e.g. to pull it away). */
  beforeTransmit: ((command: Uint8Array) => void) | undefined;
  /** One sale of `amount` paid by `phone` (taken off and put back on the reader). */
  pay(phone: Phone, amount: number): Promise<SaleResult>;
  close(): Promise<void>;
}

export interface DurableTillOptions {
  readonly phones: number;
  /** Every checkout event, as the terminal publishes it (synchronously). */
  readonly publish?: (event: string, payload: unknown) => void;
  /** The ledger file elsewhere than `<dir>/ledger.sqlite` (a full disk of its own). */
  readonly ledgerPath?: string;
  /** A reader driver instead of the emulated one on `field` (bench/tap.ts: PC/SC). */
  readonly driver?: ReaderDriver;
}

export async function openDurableTill(
  dir: string,
  options: DurableTillOptions,
): Promise<DurableTill> {
  const clock = new SimulatedClock(SIMULATION_EPOCH);
  const ledger = LedgerStore.open(options.ledgerPath ?? join(dir, LEDGER_FILE));
  const phones = Array.from({ length: options.phones }, (_, index) => openPhone(dir, index, clock));
  const field = new InProcessField('durable reader');
  // The driver sees the field through this wrapper, so a test can act between commands.
  const hooked: EmulatedField = {
    name: field.name,
    get current() {
      return field.current;
    },
    transmit: (command) => {
      till.beforeTransmit?.(command);
      return field.transmit(command);
    },
    on: (event, listener) => field.on(event, listener),
  };
  const driver = options.driver ?? new EmulatedReaderDriver([hooked]);
  const readers = createReaderService({ drivers: [driver], clock });
  await readers.start();
  const setup: TerminalSetup = {
    identity: {
      merchantId: 'M-0001',
      terminalId: 'T-0001-01',
      certificate: certifyTerminal(clock),
      signer: terminalKey,
    },
    parameters,
    trustKeys: [trustKey],
    hotlist: new MemoryHotlist(1, clock.now() - 60),
  };
  const checkout = createCheckoutService({
    cards: readers,
    ledger,
    setup: () => setup,
    clock,
    random: (size) => new Uint8Array(randomBytes(size)),
    velocity: {
      maxPaymentsPerHour: Number.MAX_SAFE_INTEGER,
      maxAmountPerDay: Number.MAX_SAFE_INTEGER,
    },
    publish: options.publish ?? (() => {}),
  });
  const till: DurableTill = {
    ledger,
    checkout,
    readers,
    field,
    phones,
    beforeTransmit: undefined,
    async pay(phone, amount) {
      // start() has registered the wait for a card when it resolves: the tap cannot be missed.
      const sale = await checkout.start({ amount, currency: EUR });
      field.remove('next customer');
      field.present(phone);
      return checkout.outcome(sale.saleId);
    },
    async close() {
      await checkout.close();
      await readers.close();
      for (const phone of phones) phone.close();
      ledger.close();
    },
  };
  return till;
}

export type { CheckoutStateEvent };
