/**
 * The phone itself, as the wallet sees it: its identity (IMEI of the handset, IMSI of the
 * SIM), a device secret, and whether it is powered and has network. The wallet reads the
 * identity each time it opens its storage (the patent's verification unit reads the "user
 * device information", claims 2-3); power and signal drive the T1 and T2 temporary locks
 * (claims 28-29).
 *
 * The device secret stands for what a real phone's secure element holds: 32 random bytes
 * kept in the phone's state folder, mixed into the storage key with IMEI and IMSI.
 * Power and signal state persist in an unsealed file beside it, because a phone must know
 * how long it was off even when its wallet cannot be opened.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Clock } from './clock';
import { StorageError } from './errors';
import { TypedEmitter } from './events';
import { ensureDirectory, readFileIfExists, writeFileAtomic } from './storage/atomic-file';

export const DEVICE_SECRET_SIZE = 32;
const SECRET_FILE = 'device.secret';
const STATE_FILE = 'device.json';
const IMEI = /^\d{15}$/;
const IMSI = /^\d{6,15}$/;

export interface DeviceIdentity {
  /** International Mobile Equipment Identity of the handset: 15 digits. */
  readonly imei: string;
  /** International Mobile Subscriber Identity of the SIM: 6 to 15 digits. */
  readonly imsi: string;
}

export interface DeviceStatus {
  readonly identity: DeviceIdentity;
  readonly powered: boolean;
  readonly signal: boolean;
  /** When the phone was last switched off; undefined if never. */
  readonly lastPowerOff: number | undefined;
  /**
   * The last moment the phone had network: now while it is on with signal, else the moment
   * signal (or power) went away.
   */
  readonly lastNetworkContact: number;
}

export type DeviceEvent =
  | { kind: 'sim-swapped'; at: number; from: string; to: string }
  | { kind: 'device-swapped'; at: number; from: string; to: string }
  | { kind: 'powered-off'; at: number }
  | { kind: 'powered-on'; at: number; offSince: number | undefined }
  | { kind: 'signal-lost'; at: number }
  | { kind: 'signal-regained'; at: number; silentSince: number }
  | { kind: 'network-contact'; at: number };

interface PersistedDeviceState {
  powered: boolean;
  signal: boolean;
  lastPowerOff: number | null;
  lastNetworkContact: number;
}

export function checkIdentity(identity: DeviceIdentity): DeviceIdentity {
  if (!IMEI.test(identity.imei)) throw new RangeError('IMEI must be 15 digits');
  if (!IMSI.test(identity.imsi)) throw new RangeError('IMSI must be 6 to 15 digits');
  return { imei: identity.imei, imsi: identity.imsi };
}

export class Device extends TypedEmitter<{ change: DeviceEvent }> {
  /** The secure element's secret; never leaves the phone. */
  readonly secret: Uint8Array;
  private current: DeviceIdentity;
  private state: PersistedDeviceState;
  private readonly statePath: string;

  constructor(
    readonly stateDir: string,
    identity: DeviceIdentity,
    private readonly clock: Clock,
  ) {
    super();
    ensureDirectory(stateDir);
    this.current = checkIdentity(identity);
    this.secret = loadOrCreateSecret(join(stateDir, SECRET_FILE));
    this.statePath = join(stateDir, STATE_FILE);
    this.state = loadState(this.statePath) ?? {
      powered: true,
      signal: true,
      lastPowerOff: null,
      lastNetworkContact: clock.now(),
    };
  }

  get identity(): DeviceIdentity {
    return this.current;
  }

  get powered(): boolean {
    return this.state.powered;
  }

  /** Signal as the radio sees it: a phone that is off has none. */
  get signal(): boolean {
    return this.state.powered && this.state.signal;
  }

  status(): DeviceStatus {
    return {
      identity: this.current,
      powered: this.state.powered,
      signal: this.signal,
      lastPowerOff: this.state.lastPowerOff ?? undefined,
      lastNetworkContact: this.signal ? this.clock.now() : this.state.lastNetworkContact,
    };
  }

  /** Puts another SIM in: the IMSI changes, so the wallet can no longer open (S3). */
  swapSim(imsi: string): void {
    const next = checkIdentity({ imei: this.current.imei, imsi });
    const from = this.current.imsi;
    this.current = next;
    this.emit('change', { kind: 'sim-swapped', at: this.clock.now(), from, to: imsi });
  }

  /** Models the wallet data moved to a handset with another IMEI (S3). */
  swapDevice(imei: string): void {
    const next = checkIdentity({ imei, imsi: this.current.imsi });
    const from = this.current.imei;
    this.current = next;
    this.emit('change', { kind: 'device-swapped', at: this.clock.now(), from, to: imei });
  }

  powerOff(): boolean {
    if (!this.state.powered) return false;
    const at = this.clock.now();
    // Network ends with power: if signal was there, contact lasted until now.
    const lastNetworkContact = this.state.signal ? at : this.state.lastNetworkContact;
    this.persist({ ...this.state, powered: false, lastPowerOff: at, lastNetworkContact });
    this.emit('change', { kind: 'powered-off', at });
    return true;
  }

  powerOn(): boolean {
    if (this.state.powered) return false;
    const at = this.clock.now();
    const offSince = this.state.lastPowerOff ?? undefined;
    const lastNetworkContact = this.state.signal ? at : this.state.lastNetworkContact;
    this.persist({ ...this.state, powered: true, lastNetworkContact });
    this.emit('change', { kind: 'powered-on', at, offSince });
    return true;
  }

  loseSignal(): boolean {
    if (!this.state.signal) return false;
    const at = this.clock.now();
    const lastNetworkContact = this.state.powered ? at : this.state.lastNetworkContact;
    this.persist({ ...this.state, signal: false, lastNetworkContact });
    this.emit('change', { kind: 'signal-lost', at });
    return true;
  }

  regainSignal(): boolean {
    if (this.state.signal) return false;
    const at = this.clock.now();
    const silentSince = this.state.lastNetworkContact;
    const lastNetworkContact = this.state.powered ? at : this.state.lastNetworkContact;
    this.persist({ ...this.state, signal: true, lastNetworkContact });
    this.emit('change', { kind: 'signal-regained', at, silentSince });
    return true;
  }

  /** Records a successful exchange with the platform (sync, activation, unlock). */
  recordNetworkContact(): void {
    const at = this.clock.now();
    this.persist({ ...this.state, lastNetworkContact: at });
    this.emit('change', { kind: 'network-contact', at });
  }

  private persist(next: PersistedDeviceState): void {
    writeFileAtomic(this.statePath, Buffer.from(JSON.stringify(next)));
    this.state = next;
  }
}

function loadOrCreateSecret(path: string): Uint8Array {
  const existing = readFileIfExists(path);
  if (existing !== undefined) {
    if (existing.length !== DEVICE_SECRET_SIZE) {
      throw new StorageError('corrupt', `${SECRET_FILE} is ${existing.length} bytes`);
    }
    return existing;
  }
  const secret = new Uint8Array(randomBytes(DEVICE_SECRET_SIZE));
  writeFileAtomic(path, secret);
  return secret;
}

function loadState(path: string): PersistedDeviceState | undefined {
  const bytes = readFileIfExists(path);
  if (bytes === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    throw new StorageError('corrupt', `${STATE_FILE} is not JSON`);
  }
  const s = parsed as Partial<PersistedDeviceState> | null;
  const isTime = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
  if (
    typeof s !== 'object' ||
    s === null ||
    typeof s.powered !== 'boolean' ||
    typeof s.signal !== 'boolean' ||
    !(s.lastPowerOff === null || isTime(s.lastPowerOff)) ||
    !isTime(s.lastNetworkContact)
  ) {
    throw new StorageError('corrupt', `${STATE_FILE} has unexpected contents`);
  }
  return {
    powered: s.powered,
    signal: s.signal,
    lastPowerOff: s.lastPowerOff,
    lastNetworkContact: s.lastNetworkContact,
  };
}
