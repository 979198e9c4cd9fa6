/**
 * The small parts on their own: the simulated clock, the device's persisted power and
 * signal state, the access-control rules as pure functions, and the in-process reader.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { selectCommand } from '../../protocol';
import {
  CardRemovedError,
  createPhone,
  Device,
  InProcessField,
  NoCardError,
  SimulatedClock,
  type Card,
  type DeviceEvent,
} from '../../handset';
import {
  isStricter,
  powerOnTransition,
  signalRegainedTransition,
  timedTransition,
} from '../../handset/wallet/access-control';
import { EMPTY_ACCESS, type AccessRecord } from '../../handset/storage/records';
import { IMEI, IMSI, removeTempDirs, tempDir } from './support/setup';

afterEach(removeTempDirs);

describe('SimulatedClock', () => {
  it('moves only when told, tells its listeners, and refuses nonsense', () => {
    const clock = new SimulatedClock(1_000);
    const seen: number[] = [];
    const stop = clock.onChange((now) => seen.push(now));
    clock.advance(5);
    clock.set(900);
    stop();
    clock.advance(1);
    expect(seen).toEqual([1_005, 900]);
    expect(clock.now()).toBe(901);
    expect(() => clock.advance(-1)).toThrow(RangeError);
    expect(() => clock.advance(0.5)).toThrow(RangeError);
    expect(() => clock.set(-3)).toThrow(RangeError);
  });
});

describe('Device', () => {
  it('keeps power and signal state across restarts, and reports each change', () => {
    const clock = new SimulatedClock(10_000);
    const stateDir = tempDir();
    const device = new Device(stateDir, { imei: IMEI, imsi: IMSI }, clock);
    const events: DeviceEvent['kind'][] = [];
    device.on('change', (e) => events.push(e.kind));
    device.loseSignal();
    clock.advance(50);
    device.powerOff();
    expect(device.powerOff()).toBe(false);
    clock.advance(100);

    const again = new Device(stateDir, { imei: IMEI, imsi: IMSI }, clock);
    expect(again.secret).toEqual(device.secret);
    expect(again.status()).toMatchObject({
      powered: false,
      signal: false,
      lastPowerOff: 10_050,
      lastNetworkContact: 10_000,
    });
    again.powerOn();
    again.regainSignal();
    expect(again.status().lastNetworkContact).toBe(clock.now());
    expect(events).toEqual(['signal-lost', 'powered-off']);
  });

  it('refuses identities that are not IMEI / IMSI shaped', () => {
    const clock = new SimulatedClock();
    expect(() => new Device(tempDir(), { imei: '123', imsi: IMSI }, clock)).toThrow(RangeError);
    const device = new Device(tempDir(), { imei: IMEI, imsi: IMSI }, clock);
    expect(() => device.swapSim('12a45678')).toThrow(RangeError);
    expect(device.identity.imsi).toBe(IMSI);
  });
});

describe('access control rules', () => {
  const params = { T: 100, T1: 200, T2: 300 };
  const access = (state: AccessRecord['state'], since = 0): AccessRecord => ({
    ...EMPTY_ACCESS,
    state,
    since,
    params,
  });
  const device = (over: { powered?: boolean; signal?: boolean; lastNetworkContact?: number }) => ({
    identity: { imei: IMEI, imsi: IMSI },
    powered: over.powered ?? true,
    signal: over.signal ?? true,
    lastPowerOff: undefined,
    lastNetworkContact: over.lastNetworkContact ?? 0,
  });

  it('orders states by strictness', () => {
    expect(isStricter('locked', 'active')).toBe(true);
    expect(isStricter('disabled', 'locked')).toBe(false);
    expect(isStricter('wiped', 'locked')).toBe(true);
    expect(isStricter('locked', 'not_activated')).toBe(false);
  });

  it('wipes after T locked and temp-locks after T2 silent, strictly after', () => {
    expect(timedTransition(access('locked', 1_000), device({}), 1_100)).toBeUndefined();
    expect(timedTransition(access('locked', 1_000), device({}), 1_101)?.to).toBe('wiped');
    const silent = device({ signal: false, lastNetworkContact: 1_000 });
    expect(timedTransition(access('active'), silent, 1_300)).toBeUndefined();
    expect(timedTransition(access('active'), silent, 1_301)).toMatchObject({
      to: 'temp_locked_network',
      at: 1_300,
    });
    // An unlock after the silence began starts a new T2 window.
    expect(timedTransition(access('active', 1_200), silent, 1_301)).toBeUndefined();
    // A phone that is off runs nothing; a clock set backward makes nothing long.
    expect(
      timedTransition(access('locked', 1_000), device({ powered: false }), 9_999),
    ).toBeUndefined();
    expect(timedTransition(access('locked', 1_000), device({}), 10)).toBeUndefined();
  });

  it('temp-locks on power-on after T1 off, and on signal back after T2 silent', () => {
    expect(powerOnTransition(access('active'), 1_000, 1_200)).toBeUndefined();
    expect(powerOnTransition(access('active'), 1_000, 1_201)?.to).toBe('temp_locked_power');
    expect(powerOnTransition(access('disabled'), 1_000, 9_000)).toBeUndefined();
    expect(powerOnTransition(access('active'), undefined, 9_000)).toBeUndefined();
    expect(signalRegainedTransition(access('active'), 1_000, 1_301)?.to).toBe(
      'temp_locked_network',
    );
    expect(signalRegainedTransition(access('active'), 1_000, 1_300)).toBeUndefined();
  });
});

describe('InProcessField', () => {
  const card = (): Card & { calls: number; sessions: number } => ({
    powered: true,
    calls: 0,
    sessions: 0,
    present() {
      this.sessions++;
    },
    remove() {},
    processApdu() {
      this.calls++;
      return Uint8Array.of(0x90, 0x00);
    },
  });

  it('carries APDUs to the card in the field and reports arrivals and departures', async () => {
    const field = new InProcessField();
    await expect(field.transmit(selectCommand())).rejects.toBeInstanceOf(NoCardError);
    const events: string[] = [];
    field.on('card-present', () => events.push('present'));
    field.on('card-removed', (e) => events.push(`removed: ${e.reason}`));
    const a = card();
    const b = card();
    field.present(a);
    expect(await field.transmit(selectCommand())).toEqual(Uint8Array.of(0x90, 0x00));
    field.present(b);
    expect(events).toEqual(['present', 'removed: another card was presented', 'present']);
    expect(a.sessions).toBe(1);
  });

  it('rejects with CardRemovedError when the card leaves before the answer', async () => {
    const field = new InProcessField();
    const a = card();
    field.present(a);
    field.tearAfterProcessing();
    await expect(field.transmit(selectCommand())).rejects.toBeInstanceOf(CardRemovedError);
    expect(a.calls).toBe(1);
    expect(field.current).toBeUndefined();
  });

  it('treats a phone that switched off as gone', async () => {
    const phone = createPhone({ stateDir: tempDir(), imei: IMEI, imsi: IMSI });
    const field = new InProcessField();
    field.present(phone);
    phone.powerOff();
    await expect(field.transmit(selectCommand())).rejects.toBeInstanceOf(CardRemovedError);
    expect(() => phone.processApdu(selectCommand())).toThrow(CardRemovedError);
  });
});
