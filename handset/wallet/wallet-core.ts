/**
 * The mobile device security unit (移动设备安全单元, claims 2-4, 16-18): the part of the
 * wallet that owns the wallet file and decides, before every command, what state the
 * wallet is in. wallet.ts adds the operations (pay, read, notices, sync, activation).
 *
 * Verification: the secrets open only under the current IMEI + IMSI (storage/keys.ts), and
 * the certificate's binding digest is compared with them too, as claim 3 describes. A
 * mismatch locks (S3); locked longer than T wipes (S4); power-off beyond T1 and silence
 * beyond T2 temp-lock (S7, S8); platform notices disable, wipe, unlock or credit (S5, S6).
 * Every change is written durably before it takes effect outside, then announced.
 */
import {
  bindingDigest,
  isProtocolError,
  SW,
  signingKeyFromScalar,
  WalletCertificate,
  type Signed,
  type SigningKey,
} from '../../protocol';
import type { Clock } from '../clock';
import type { Device, DeviceEvent, DeviceIdentity } from '../device';
import { StorageError } from '../errors';
import { TypedEmitter } from '../events';
import { EMPTY_ACCESS, type AccessRecord, type WalletSecrets } from '../storage/records';
import type { WalletStore } from '../storage/wallet-store';
import {
  isStricter,
  powerOnTransition,
  signalRegainedTransition,
  stateStatusWord,
  timedTransition,
  type Transition,
} from './access-control';
import type { WalletEvents } from './events';
import { buildSnapshot, type StorageView, type WalletSnapshot } from './snapshot';

/** A refusal with the status word the applet answers. */
export interface Refused {
  readonly ok: false;
  readonly sw: number;
  readonly reason: string;
}

export type Answer<T> = { readonly ok: true; readonly value: T } | Refused;

/** The identity FCI shows when the wallet file cannot be trusted at all. */
const UNKNOWN_WALLET_ID = new Uint8Array(16);

const sameIdentity = (a: DeviceIdentity, b: DeviceIdentity): boolean =>
  a.imei === b.imei && a.imsi === b.imsi;

export interface Opened {
  readonly secrets: WalletSecrets;
  readonly certificate: Signed<WalletCertificate>;
  readonly key: SigningKey;
  /** The identity the seal opened under; any other means the binding is gone. */
  readonly identity: DeviceIdentity;
}

export class WalletCore extends TypedEmitter<WalletEvents> {
  protected access: AccessRecord = EMPTY_ACCESS;
  protected opened: Opened | undefined;
  protected storageView: StorageView = 'empty';
  /** Set when the wallet file failed its checks: read-only, locked, until re-activation. */
  protected fault: StorageError | undefined;
  private readonly unsubscribe: () => void;

  constructor(
    protected readonly store: WalletStore,
    protected readonly device: Device,
    protected readonly clock: Clock,
  ) {
    super();
    this.load();
    this.unsubscribe = device.on('change', (event) => this.onDeviceChange(event));
  }

  close(): void {
    this.unsubscribe();
  }

  get state(): AccessRecord['state'] {
    return this.access.state;
  }

  /** The state after the time and device rules have run: what SELECT reports. */
  currentState(): AccessRecord['state'] {
    this.refresh();
    return this.access.state;
  }

  get walletId(): Uint8Array | undefined {
    return this.fault ? UNKNOWN_WALLET_ID : this.access.walletId;
  }

  snapshot(): WalletSnapshot {
    this.refresh();
    return buildSnapshot(this.access, this.opened?.secrets, this.storageView);
  }

  /**
   * Applies the rules that depend on time and on the device: a changed identity, locked
   * longer than T, no network longer than T2. Runs before every command and whenever the
   * clock jumps; a phone that is off runs nothing until it is switched on again.
   */
  refresh(): void {
    if (this.fault || !this.device.powered) return;
    if (this.opened && !sameIdentity(this.opened.identity, this.device.identity)) this.load();
    const transition = timedTransition(this.access, this.device.status(), this.clock.now());
    if (transition) this.enter(transition);
  }

  /** The status word for anything that needs an authorized wallet; 9000 when it may pay. */
  protected gate(): number {
    if (this.fault) return SW.locked;
    return stateStatusWord(this.access.state);
  }

  /**
   * Reads (or re-reads after an identity change) the wallet file: the verification unit.
   * `thenRefresh` false leaves the timed rules to the caller (power-on applies T1 first).
   */
  protected load(thenRefresh = true): void {
    this.opened = undefined;
    let stored;
    try {
      stored = this.store.load(this.device.identity);
    } catch (error) {
      if (error instanceof StorageError) return this.enterFault(error);
      throw error;
    }
    this.fault = undefined;
    if (stored === undefined) {
      this.access = EMPTY_ACCESS;
      this.storageView = 'empty';
      return;
    }
    this.access = stored.access;
    const hasSecrets = stored.sealed.kind !== 'none';
    const state = stored.access.state;
    if (hasSecrets === (state === 'not_activated' || state === 'wiped')) {
      return this.enterFault(
        new StorageError('corrupt', `state ${state} with secrets ${hasSecrets}`),
      );
    }
    if (stored.sealed.kind === 'none') {
      this.storageView = state === 'wiped' ? 'erased' : 'empty';
    } else if (stored.sealed.kind === 'identity_mismatch') {
      this.storageView = 'sealed_other_identity';
      this.lock('the IMEI or IMSI differs from activation (the seal does not open)');
    } else {
      this.storageView = 'open';
      const opened = this.openSecrets(stored.sealed.secrets);
      if (opened) this.opened = opened;
    }
    if (thenRefresh) this.refresh();
  }

  private openSecrets(secrets: WalletSecrets): Opened | undefined {
    const identity = this.device.identity;
    try {
      const certificate = WalletCertificate.decode(secrets.certificate);
      const key = signingKeyFromScalar(secrets.walletPrivateKey);
      // Claim 3's comparison, on top of the seal: the certificate names this IMEI + IMSI.
      const digest = bindingDigest(identity.imei, identity.imsi, secrets.bindingSalt);
      if (!Buffer.from(digest).equals(certificate.value.bindingDigest)) {
        this.lock('the IMEI or IMSI differs from the certificate binding');
        return undefined;
      }
      return { secrets, certificate, key, identity };
    } catch (error) {
      if (!isProtocolError(error)) throw error;
      this.enterFault(new StorageError('corrupt', `sealed secrets: ${error.message}`));
      return undefined;
    }
  }

  private enterFault(error: StorageError): void {
    this.fault = error;
    this.opened = undefined;
    this.storageView = 'fault';
    const from = this.access.state;
    this.access = {
      ...EMPTY_ACCESS,
      state: 'locked',
      since: this.clock.now(),
      reason: error.message,
    };
    this.emit('state', { from, to: 'locked', at: this.access.since, reason: error.message });
  }

  /** Binding mismatch: lock (S3), unless the wallet is already as strict or stricter. */
  protected lock(reason: string): void {
    this.opened = undefined;
    if (!isStricter('locked', this.access.state)) return;
    this.enter({ to: 'locked', at: this.clock.now(), reason });
  }

  /**
   * Moves to another state and stores it. `extra` changes the access record further (the
   * notice sequence), `secrets` the sealed part ('keep': unchanged).
   */
  protected enter(
    transition: Transition,
    extra: Partial<AccessRecord> = {},
    secrets: WalletSecrets | 'keep' = 'keep',
  ): void {
    const from = this.access.state;
    if (transition.to === 'wiped') return this.wipe(transition, extra);
    const access = {
      ...this.access,
      ...extra,
      state: transition.to,
      since: transition.at,
      reason: transition.reason,
    };
    this.commit(access, secrets);
    this.emit('state', { from, to: transition.to, at: transition.at, reason: transition.reason });
  }

  /** Claims 25 and 27: erase the offline payment data; the platform still holds the account. */
  private wipe(transition: Transition, extra: Partial<AccessRecord>): void {
    const from = this.access.state;
    const access: AccessRecord = {
      ...this.access,
      ...extra,
      state: 'wiped',
      since: transition.at,
      reason: transition.reason,
      identityFingerprint: undefined,
      wipedAt: transition.at,
    };
    this.store.save(access, null, this.device.identity);
    this.access = access;
    this.opened = undefined;
    this.storageView = 'erased';
    this.emit('state', { from, to: 'wiped', at: transition.at, reason: transition.reason });
  }

  /** Writes first, then adopts: memory never runs ahead of what a crash would leave. */
  protected commit(access: AccessRecord, secrets: WalletSecrets | 'keep'): void {
    if (this.fault) return;
    this.store.save(access, secrets, this.device.identity);
    this.access = access;
    if (secrets !== 'keep' && this.opened) this.opened = { ...this.opened, secrets };
  }

  private onDeviceChange(event: DeviceEvent): void {
    switch (event.kind) {
      case 'sim-swapped':
      case 'device-swapped':
        if (!this.fault) this.load();
        return;
      case 'powered-on': {
        // A swap while the phone was off shows now; then T1 (claim 28), then T and T2.
        if (!this.fault) this.load(false);
        const transition = powerOnTransition(this.access, event.offSince, event.at);
        if (transition && !this.fault) this.enter(transition);
        this.refresh();
        return;
      }
      case 'signal-regained': {
        const transition = signalRegainedTransition(this.access, event.silentSince, event.at);
        if (transition && !this.fault) this.enter(transition);
        return;
      }
      default:
        this.refresh();
    }
  }
}
