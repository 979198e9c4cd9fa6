/** A settlement service wired to a SettleRig, with its events and retry delays recorded. */
import {
  createSettlementService,
  type SettlementDeps,
  type SettlementEvents,
  type SettlementService,
  type Timers,
} from '../../../main/terminal/settlement';
import type { SettleRig } from './settle-rig';

export interface Recorded {
  readonly service: SettlementService;
  readonly events: {
    name: keyof SettlementEvents;
    payload: SettlementEvents[keyof SettlementEvents];
  }[];
  /** Every retry delay asked of the timers, in ms. */
  readonly delays: number[];
  readonly progress: () => SettlementEvents['settlement.progress'][];
}

/**
 * Timers that run a retry at once, after `beforeRetry` (which may move the clock, stop or
 * start the platform): a test waits on conditions, never on wall time.
 */
export function immediateTimers(
  delays: number[],
  beforeRetry?: (retry: number, ms: number) => Promise<void> | void,
): Timers {
  return {
    setTimeout(callback, ms) {
      delays.push(ms);
      void Promise.resolve(beforeRetry?.(delays.length, ms)).then(callback);
      return delays.length;
    },
    clearTimeout() {},
  };
}

export function settlementFor(
  rig: SettleRig,
  overrides: Partial<SettlementDeps> & {
    beforeRetry?: (retry: number, ms: number) => Promise<void> | void;
  } = {},
): Recorded {
  const events: Recorded['events'] = [];
  const delays: number[] = [];
  const { beforeRetry, ...deps } = overrides;
  const service = createSettlementService({
    ledger: rig.ledger,
    identity: () => rig.identity,
    parameters: () => rig.parameters,
    trustKeys: () => rig.trustKeys,
    uploadBatch: (envelope) => rig.uploadBatch(envelope),
    clock: rig.clock,
    publish: (name, payload) => events.push({ name, payload }),
    timers: immediateTimers(delays, beforeRetry),
    random: () => 0.5,
    ...deps,
  });
  return {
    service,
    events,
    delays,
    progress: () =>
      events
        .filter((e) => e.name === 'settlement.progress')
        .map((e) => e.payload as SettlementEvents['settlement.progress']),
  };
}
