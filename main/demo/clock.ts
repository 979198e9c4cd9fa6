/**
 * The demo's one clock, shared by the terminal, the phones and the embedded platform.
 * It follows the machine's clock (so receipts and hourly reports look like a real day)
 * plus a time-travel offset the demo panel moves forward to show T, T1 and T2. The offset
 * is kept in the demo's folder: after a restart the wallets, the platform and the
 * terminal's ledger never see time go back.
 */
import type { Clock } from '../../handset';

/** A clock the demo can move forward; handset's SimulatedClock is one (tests inject it). */
export interface TravelClock extends Clock {
  /** Moves time forward by `seconds`; resolves with the new time. Listeners are told. */
  advance(seconds: number): number;
  onChange(listener: (now: number) => void): () => void;
}

export class OffsetClock implements TravelClock {
  private readonly listeners = new Set<(now: number) => void>();

  /** `onOffset` persists the offset each time it moves. */
  constructor(
    private offset: number,
    private readonly onOffset: (offset: number) => void,
    private readonly machineNow: () => number = () => Math.floor(Date.now() / 1000),
  ) {
    if (!Number.isSafeInteger(offset) || offset < 0) {
      throw new RangeError(`the time-travel offset must be whole, non-negative seconds`);
    }
  }

  get offsetSeconds(): number {
    return this.offset;
  }

  now(): number {
    return this.machineNow() + this.offset;
  }

  advance(seconds: number): number {
    if (!Number.isSafeInteger(seconds) || seconds < 0) {
      throw new RangeError(`advance needs a whole, non-negative number of seconds, got ${seconds}`);
    }
    this.offset += seconds;
    this.onOffset(this.offset);
    const now = this.now();
    for (const listener of [...this.listeners]) listener(now);
    return now;
  }

  onChange(listener: (now: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
