/**
 * Settlement periods on the platform's schedule: with P = `settlement.periodSeconds`, the
 * scheduled periods are [kP, (k+1)P) of Unix time (for the default 24 h: UTC days), so every
 * terminal of a platform closes at the same instants whatever its start-up time. A manual
 * close ends the open period early; the next one runs from that close to the scheduled end.
 */
export function periodStartOf(time: number, periodSeconds: number): number {
  return Math.floor(time / periodSeconds) * periodSeconds;
}

export function nextBoundary(time: number, periodSeconds: number): number {
  return periodStartOf(time, periodSeconds) + periodSeconds;
}

/**
 * Where the open period begins: just after the last batch's end when that lies inside the
 * current scheduled period (a manual close), else at the scheduled start; never after the
 * oldest entry it holds.
 */
export function openPeriodStart(input: {
  now: number;
  periodSeconds: number;
  lastPeriodEnd: number | undefined;
  oldestUnbatchedAt: number | undefined;
}): number {
  const scheduled = periodStartOf(input.now, input.periodSeconds);
  const resume = input.lastPeriodEnd === undefined ? undefined : input.lastPeriodEnd + 1;
  const start =
    resume !== undefined && resume > scheduled ? Math.min(resume, input.now) : scheduled;
  return input.oldestUnbatchedAt === undefined ? start : Math.min(start, input.oldestUnbatchedAt);
}

/** Liability (docs/protocol.md section 3): past this a payment is at the terminal's risk. */
export function staleAfter(
  terminalTime: number,
  settlement: { periodSeconds: number; uploadWithinSeconds: number },
): number {
  return terminalTime + settlement.periodSeconds + settlement.uploadWithinSeconds;
}
