/**
 * The phone, composed: device (identity, power, signal), wallet (secure storage, access
 * control, payment unit), applet (APDUs) and the seam to the platform. This is what the
 * demo panel shows, the CLI runs and the transports carry: it is a Card (present, remove,
 * processApdu), a set of user actions (swap SIM, power off…) and the online operations
 * (activate, unlock, sync) through a PlatformLink.
 */
import { WalletApplet, type InternalErrorReport } from './applet/applet';
import { SystemClock, type Clock } from './clock';
import { Device, type DeviceEvent, type DeviceStatus } from './device';
import { CardRemovedError, SyncError } from './errors';
import { TypedEmitter } from './events';
import { WalletStore } from './storage/wallet-store';
import type { Card } from './transport/card';
import type { WalletEvents } from './wallet/events';
import type {
  PlatformLink,
  RegistrationDetails,
  SyncResult,
  UnlockRequest,
} from './wallet/platform-link';
import type { WalletSnapshot } from './wallet/snapshot';
import { Wallet, type SyncOutcome } from './wallet/wallet';

export interface PhoneOptions {
  /** The phone's private folder: device secret, device state, wallet file. */
  readonly stateDir: string;
  /** The handset's and the SIM's identity at start; swapSim / swapDevice change them. */
  readonly imei: string;
  readonly imsi: string;
  readonly clock?: Clock;
  /** How to reach the platform; without one, the phone works offline only. */
  readonly platform?: PlatformLink;
  /** A label for panels and logs. */
  readonly name?: string;
  /** Where applet bugs (answered 6F00) are reported; default: console.error. */
  readonly onInternalError?: (report: InternalErrorReport) => void;
}

export interface PhoneSnapshot {
  readonly name: string;
  readonly device: DeviceStatus;
  readonly inField: boolean;
  readonly wallet: WalletSnapshot;
}

export interface PhoneEvents extends WalletEvents {
  device: DeviceEvent;
  field: { readonly inField: boolean };
  'internal-error': InternalErrorReport;
  /** After any of the above: a panel can simply re-render from `snapshot()`. */
  change: { readonly name: string };
}

const FORWARDED = [
  'state',
  'payment',
  'refusal',
  'notice',
  'balance',
  'activation',
  'sync',
] as const;

export class Phone extends TypedEmitter<PhoneEvents> implements Card {
  readonly name: string;
  readonly device: Device;
  readonly wallet: Wallet;
  readonly applet: WalletApplet;
  private inField = false;
  private readonly cleanups: (() => void)[] = [];

  private readonly platform: PlatformLink | undefined;

  constructor(options: PhoneOptions) {
    super();
    const clock: Clock = options.clock ?? new SystemClock();
    this.platform = options.platform;
    this.name = options.name ?? `phone ${options.imei.slice(-4)}`;
    this.device = new Device(options.stateDir, { imei: options.imei, imsi: options.imsi }, clock);
    this.wallet = new Wallet(
      new WalletStore(options.stateDir, this.device.secret),
      this.device,
      clock,
    );
    const report = options.onInternalError ?? defaultReport;
    this.applet = new WalletApplet(this.wallet, (r) => {
      report(r);
      this.emit('internal-error', r);
    });

    this.cleanups.push(() => this.wallet.close());
    this.cleanups.push(
      this.device.on('change', (event) => {
        if (event.kind === 'powered-off' && this.inField) this.remove();
        this.announce('device', event);
      }),
    );
    for (const name of FORWARDED) {
      this.cleanups.push(this.wallet.on(name, (payload) => this.announce(name, payload)));
    }
    const unsubscribeClock = clock.onChange?.(() => this.wallet.refresh());
    if (unsubscribeClock) this.cleanups.push(unsubscribeClock);
  }

  // ---- Card: what transports drive ----

  get powered(): boolean {
    return this.device.powered;
  }

  present(): void {
    this.applet.reset();
    this.inField = true;
    this.announce('field', { inField: true });
  }

  remove(): void {
    this.applet.reset();
    this.inField = false;
    this.announce('field', { inField: false });
  }

  processApdu(command: Uint8Array): Uint8Array {
    if (!this.device.powered) throw new CardRemovedError('the phone is switched off');
    return this.applet.processApdu(command);
  }

  // ---- What the user does to the phone ----

  swapSim(imsi: string): void {
    this.device.swapSim(imsi);
  }

  swapDevice(imei: string): void {
    this.device.swapDevice(imei);
  }

  powerOff(): void {
    this.device.powerOff();
  }

  powerOn(): void {
    this.device.powerOn();
  }

  loseSignal(): void {
    this.device.loseSignal();
  }

  regainSignal(): void {
    this.device.regainSignal();
  }

  // ---- Online, through the platform link ----

  /** S1: generate the key, send identity and registration details, install the answer. */
  async activate(registration: RegistrationDetails): Promise<void> {
    const platform = this.online();
    const grant = await platform.activate(this.wallet.beginActivation(registration));
    this.device.recordNetworkContact();
    this.wallet.installActivation(grant);
  }

  /**
   * S7-S9: ask the platform to lift a lock after re-verifying the user. An unlock is an
   * online sync (docs/architecture.md): when the wallet's secrets are open it reports its
   * counter, and the answer's freshness token resets the offline totals as a sync would.
   */
  async requestUnlock(registration: RegistrationDetails): Promise<SyncOutcome> {
    const platform = this.online();
    const walletId = this.activatedWalletId();
    const { imei, imsi } = this.device.identity;
    const { counter } = this.wallet.snapshot();
    const request: UnlockRequest = {
      walletId,
      imei,
      imsi,
      registration,
      ...(counter === undefined ? {} : { counter }),
    };
    return this.applySync(await platform.unlock(request));
  }

  /** S10: report balance and counter, take the new freshness token and pending notices. */
  async sync(): Promise<SyncOutcome> {
    const platform = this.online();
    const walletId = this.activatedWalletId();
    const { imei, imsi } = this.device.identity;
    const wallet = this.wallet.snapshot();
    const result = await platform.sync({
      walletId,
      imei,
      imsi,
      balance: wallet.balance,
      counter: wallet.counter,
      lastSequence: wallet.lastSequence,
    });
    return this.applySync(result);
  }

  /** What the platform sent (a sync answer, an unlock, a WebSocket push): apply it. */
  applySync(result: SyncResult): SyncOutcome {
    this.device.recordNetworkContact();
    return this.wallet.applySync(result);
  }

  snapshot(): PhoneSnapshot {
    return {
      name: this.name,
      device: this.device.status(),
      inField: this.inField,
      wallet: this.wallet.snapshot(),
    };
  }

  /** Stops listening to the clock; the phone's files stay as they are. */
  close(): void {
    for (const cleanup of this.cleanups.splice(0)) cleanup();
  }

  private online(): PlatformLink {
    if (!this.device.powered) throw new SyncError('powered_off', 'the phone is switched off');
    if (!this.device.signal) throw new SyncError('no_network', 'no signal');
    if (!this.platform) throw new SyncError('no_network', 'no platform configured');
    return this.platform;
  }

  private activatedWalletId(): Uint8Array {
    const walletId = this.wallet.walletId;
    if (walletId === undefined) throw new SyncError('not_activated', 'activate the wallet first');
    return walletId;
  }

  private announce<K extends keyof PhoneEvents>(event: K, payload: PhoneEvents[K]): void {
    this.emit(event, payload);
    if (event !== 'change') this.emit('change', { name: this.name });
  }
}

function defaultReport(report: InternalErrorReport): void {
  console.error(`tapsafe applet internal error on ${report.command}:`, report.error);
}

/** Creates a phone from its state folder (created if new) and its identity. */
export function createPhone(options: PhoneOptions): Phone {
  return new Phone(options);
}
