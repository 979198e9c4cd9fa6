/**
 * Time for the whole platform, in whole seconds since the Unix epoch (the protocol's unit).
 * Everything that reads the time takes a Clock, so tests and the demo can move time
 * forward (lock windows, key retirement, nonce expiry) without sleeping.
 */
export interface Clock {
  /** Seconds since the Unix epoch, an integer. */
  now(): number;
}

export const systemClock: Clock = { now: () => Math.floor(Date.now() / 1000) };

/** A clock that only moves when told to: for tests and the demo's time-travel control. */
export class ManualClock implements Clock {
  #seconds: number;

  constructor(start = Math.floor(Date.now() / 1000)) {
    this.#seconds = checkSeconds(start);
  }

  now(): number {
    return this.#seconds;
  }

  set(seconds: number): void {
    this.#seconds = checkSeconds(seconds);
  }

  advance(seconds: number): void {
    this.set(this.#seconds + seconds);
  }
}

function checkSeconds(seconds: number): number {
  if (!Number.isSafeInteger(seconds) || seconds < 0) {
    throw new RangeError(`clock time must be a non-negative integer of seconds, got ${seconds}`);
  }
  return seconds;
}
