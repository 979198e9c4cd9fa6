/**
 * Time as the phone sees it, in whole seconds since the Unix epoch (the protocol's unit).
 * The access-control rules of the patent are all durations — locked longer than T,
 * powered off longer than T1, no network longer than T2 — so demos and tests need to move
 * time forward by hours without waiting: the SimulatedClock does that, and tells its
 * listeners, so a phone re-evaluates its locks the moment time jumps.
 */

export interface Clock {
  /** Seconds since the Unix epoch, an integer. */
  now(): number;
  /**
   * Calls `listener` whenever time jumps (simulated clocks only); returns the unsubscribe.
   * A real clock never jumps, so it may leave this out and callers poll instead.
   */
  onChange?(listener: (now: number) => void): () => void;
}

/** The machine's clock. */
export class SystemClock implements Clock {
  now(): number {
    return Math.floor(Date.now() / 1000);
  }
}

/** 2026-01-01T00:00:00Z: a fixed, readable start for demos and tests. */
export const SIMULATION_EPOCH = 1_767_225_600;

/** A clock that only moves when told to: time travel for T, T1 and T2. */
export class SimulatedClock implements Clock {
  private current: number;
  private readonly listeners = new Set<(now: number) => void>();

  constructor(start: number = SIMULATION_EPOCH) {
    this.current = checkTime(start);
  }

  now(): number {
    return this.current;
  }

  /** Moves time forward by `seconds` (never backward: durations must not shrink). */
  advance(seconds: number): number {
    if (!Number.isSafeInteger(seconds) || seconds < 0) {
      throw new RangeError(`advance needs a whole, non-negative number of seconds, got ${seconds}`);
    }
    return this.set(this.current + seconds);
  }

  /**
   * Sets the time. Setting it backward is allowed (a user can change a phone's clock), and
   * the access-control rules must cope with it: they never treat a negative duration as long.
   */
  set(time: number): number {
    this.current = checkTime(time);
    for (const listener of [...this.listeners]) listener(this.current);
    return this.current;
  }

  onChange(listener: (now: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

function checkTime(time: number): number {
  if (!Number.isSafeInteger(time) || time < 0) {
    throw new RangeError(`time must be whole, non-negative seconds, got ${time}`);
  }
  return time;
}
