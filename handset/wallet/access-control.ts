/**
 * The access control unit (访问控制单元, claims 3, 17): which wallet states may pay, which
 * status word each refusal carries, and the timed rules of claims 25, 28 and 29. Pure
 * functions of (state, parameters, device status, time), so they can be tested and reasoned
 * about without files or clocks.
 */
import { SW, type WalletState } from '../../protocol';
import type { DeviceStatus } from '../device';
import type { AccessRecord } from '../storage/records';

/**
 * How strict each state is. A transition never moves to a less strict state except by
 * an explicit act: a platform-signed unlock, an activation, or a wipe being the end.
 * Locked ranks above disabled because it is the one that leads to a wipe after T.
 */
const STRICTNESS: Readonly<Record<WalletState, number>> = {
  active: 0,
  temp_locked_network: 1,
  temp_locked_power: 1,
  disabled: 2,
  locked: 3,
  wiped: 4,
  not_activated: 5,
};

/** True when moving from `current` to `candidate` makes the wallet stricter. */
export function isStricter(candidate: WalletState, current: WalletState): boolean {
  return STRICTNESS[candidate] > STRICTNESS[current];
}

/** The status word a command gets when the wallet's state forbids it; 9000 for active. */
export function stateStatusWord(state: WalletState): number {
  switch (state) {
    case 'active':
      return SW.ok;
    case 'not_activated':
      return SW.not_activated;
    case 'locked':
      return SW.locked;
    case 'temp_locked_power':
      return SW.temp_locked_power;
    case 'temp_locked_network':
      return SW.temp_locked_network;
    case 'disabled':
      return SW.disabled;
    case 'wiped':
      return SW.wiped;
  }
}

export interface Transition {
  readonly to: WalletState;
  /** When it took effect (may be earlier than now: the moment a duration ran out). */
  readonly at: number;
  readonly reason: string;
}

/** Seconds from `from` to `to`; a clock set backward never makes a duration long. */
const elapsed = (from: number, to: number): number => Math.max(0, to - from);

/**
 * The rules that fire on the passage of time alone, checked whenever the wallet runs:
 * claim 25 (locked longer than T → wipe) and claim 29 (no network longer than T2 →
 * temporarily locked). The T2 window starts afresh at an unlock: a signed unlock is proof
 * of contact with the platform.
 */
export function timedTransition(
  access: AccessRecord,
  device: DeviceStatus,
  now: number,
): Transition | undefined {
  const params = access.params;
  if (params === undefined || !device.powered) return undefined;
  if (access.state === 'locked' && elapsed(access.since, now) > params.T) {
    return { to: 'wiped', at: now, reason: `locked longer than T (${params.T} s)` };
  }
  if (access.state === 'active' && !device.signal) {
    const silentSince = Math.max(device.lastNetworkContact, access.since);
    if (elapsed(silentSince, now) > params.T2) {
      return {
        to: 'temp_locked_network',
        at: silentSince + params.T2,
        reason: `no network longer than T2 (${params.T2} s)`,
      };
    }
  }
  return undefined;
}

/** Signal came back after `silentSince`: was it gone longer than T2 meanwhile? (claim 29) */
export function signalRegainedTransition(
  access: AccessRecord,
  silentSince: number,
  at: number,
): Transition | undefined {
  const params = access.params;
  if (params === undefined || access.state !== 'active') return undefined;
  const from = Math.max(silentSince, access.since);
  if (elapsed(from, at) <= params.T2) return undefined;
  return {
    to: 'temp_locked_network',
    at: from + params.T2,
    reason: `no network longer than T2 (${params.T2} s)`,
  };
}

/** Powered on after being off since `offSince`: longer than T1? (claim 28, step 6) */
export function powerOnTransition(
  access: AccessRecord,
  offSince: number | undefined,
  at: number,
): Transition | undefined {
  const params = access.params;
  if (params === undefined || offSince === undefined || access.state !== 'active') return undefined;
  if (elapsed(offSince, at) <= params.T1) return undefined;
  return { to: 'temp_locked_power', at, reason: `powered off longer than T1 (${params.T1} s)` };
}
