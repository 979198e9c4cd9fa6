/**
 * The real wallet applet, on an activated phone, presented to pcscd as a vpcd card. The
 * platform is the handset tests' local stand-in (it signs the certificate the terminal
 * verifies); everything between terminal and phone is the real PC/SC stack. With
 * useWalletAndReader, the terminal side reads it through the nfc-pcsc adapter.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach } from 'vitest';
import {
  createPhone,
  SimulatedClock,
  type InternalErrorReport,
  type Phone,
} from '../../../handset';
import {
  HCE_ATR,
  VpcdCard,
  virtualCardOf,
  type VirtualCard,
  type VpcdError,
  type VpcdState,
} from '../../../handset/transport/vpcd';
import {
  PaymentRequest,
  presentTerminalCertificateCommand,
  signingKeyFromScalar,
  type Signed,
  type TerminalCertificate,
} from '../../../protocol';
import { NfcPcscReader } from '../../../main/terminal/reader/pcsc/nfc-reader';
import { TestPlatform } from '../../handset/support/platform';
import { certifyTerminal } from '../../handset/support/terminal';
import { next } from './waits';

const REGISTRATION = { accountId: 'ACC-PCSC-01', password: 'pcsc test password' };
/** The reader pcscd names vpcd's first slot (port 35963), where walletOnVpcd's card goes. */
export const VPCD_READER = 'Virtual PCD 00 00';
export const terminalKey = signingKeyFromScalar(new Uint8Array(32).fill(0x35));

export interface WalletOnVpcd {
  readonly clock: SimulatedClock;
  readonly platform: TestPlatform;
  readonly phone: Phone;
  readonly vpcd: VpcdCard;
  /** Every vpcd state change, in order. */
  readonly states: VpcdState[];
  readonly faults: VpcdError[];
  readonly internalErrors: InternalErrorReport[];
  /** The next command for which this returns true is processed, then the card leaves. */
  tearAfter: ((command: Uint8Array) => boolean) | undefined;
  request(amount: number): Signed<PaymentRequest>;
  /** The terminal certificate of `terminalKey` (M-PCSC / T-PCSC-01), by the test issuer. */
  readonly certificate: Signed<TerminalCertificate>;
  /** PRESENT TERMINAL CERTIFICATE with it: what a terminal sends right after SELECT. */
  presentCommand(): Uint8Array;
  close(): Promise<void>;
}

export interface WalletOptions {
  /** vpcd port: 35963 is reader "Virtual PCD 00 00", 35964 is "00 01". */
  port?: number;
  /** ISO 4217 number of the wallet's currency (the APDU vectors pay in 156). */
  currency?: number;
  /** The phone's clock at start (Unix seconds); the simulation epoch by default. */
  clockStart?: number;
}

export async function walletOnVpcd(options: WalletOptions = {}): Promise<WalletOnVpcd> {
  const clock = new SimulatedClock(options.clockStart);
  const platform = new TestPlatform(
    clock,
    options.currency === undefined ? {} : { currency: options.currency },
  );
  platform.register(REGISTRATION.accountId, REGISTRATION.password);
  const stateDir = mkdtempSync(join(tmpdir(), 'tapsafe-pcsc-'));
  const internalErrors: InternalErrorReport[] = [];
  const phone = createPhone({
    stateDir,
    imei: '490154203237518',
    imsi: '310150123456789',
    clock,
    platform,
    onInternalError: (report) => internalErrors.push(report),
  });
  await phone.activate(REGISTRATION);

  const certificate = certifyTerminal(clock, {
    merchantId: 'M-PCSC',
    terminalId: 'T-PCSC-01',
    terminalPublicKey: terminalKey.publicKey,
  });
  const inner = virtualCardOf(phone, HCE_ATR);
  const card: VirtualCard = {
    ...inner,
    processApdu(command) {
      const response = inner.processApdu(command);
      if (rig.tearAfter?.(command) === true) {
        rig.tearAfter = undefined;
        // S11's torn tap: the phone signed and logged, then left before answering.
        rig.vpcd.remove('torn after processing');
      }
      return response;
    },
  };
  const vpcd = new VpcdCard(card, { port: options.port, minBackoffMs: 50, maxBackoffMs: 400 });
  const rig: WalletOnVpcd = {
    clock,
    platform,
    phone,
    vpcd,
    states: [],
    faults: [],
    internalErrors,
    tearAfter: undefined,
    certificate,
    presentCommand: () => presentTerminalCertificateCommand(certificate.encoded),
    request: (amount) =>
      PaymentRequest.sign(
        {
          amount,
          currency: platform.policy.currency,
          merchantId: 'M-PCSC',
          terminalId: 'T-PCSC-01',
          terminalTime: clock.now(),
          nonce: new Uint8Array(randomBytes(16)),
        },
        terminalKey,
      ),
    async close() {
      const wasIn = vpcd.state !== 'removed';
      vpcd.remove('test over');
      phone.close();
      rmSync(stateDir, { recursive: true, force: true });
      // vpcd polls presence every ~400 ms: give pcscd one poll to see the reader empty, so
      // the next test's card is a new card to it, not this one carrying on.
      if (wasIn) await sleep(500);
    },
  };
  vpcd.on('state', ({ state }) => rig.states.push(state));
  vpcd.on('fault', (error) => rig.faults.push(error));
  return rig;
}

/** The wallet on vpcd's first reader, and the terminal's nfc-pcsc adapter watching only it. */
export interface WalletAndReader {
  readonly rig: WalletOnVpcd;
  readonly reader: NfcPcscReader;
}

/**
 * Registers in the calling describe block: before each test, a new walletOnVpcd() and a
 * started NfcPcscReader for VPCD_READER, handed to `use`; after it, the card removed (and
 * seen gone by the reader) and both closed.
 */
export function useWalletAndReader(use: (current: WalletAndReader) => void): void {
  let current: WalletAndReader | undefined;

  beforeEach(async () => {
    const rig = await walletOnVpcd();
    const reader = new NfcPcscReader({ acceptReader: (name) => name === VPCD_READER });
    current = { rig, reader };
    use(current);
    await reader.start();
  });

  afterEach(async () => {
    if (current === undefined) return;
    const { rig, reader } = current;
    current = undefined;
    // Leave the reader empty, and seen empty by pcscd, for the next test's card.
    const seen = reader.cards.length > 0 ? next(reader, 'card-removed') : undefined;
    const closed = rig.close();
    await seen;
    await closed;
    reader.close();
  });
}
