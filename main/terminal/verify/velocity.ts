/**
 * The terminal's own velocity limits: not among the platform's parameters, set locally by
 * the merchant (settings), computed from this terminal's ledger. They bound what one
 * wallet (a stolen phone not yet hotlisted, a clone) can spend at this till before anyone
 * notices. Checked before PAY, so a declined wallet signs nothing.
 *
 * - `maxPaymentsPerHour`: payments of one wallet stored here in the last 3,600 s
 *   (default 10);
 * - `maxAmountPerDay`: their sum over the last 86,400 s plus this sale (default: the
 *   terminal's `limitOfflineAmount`, what a wallet may spend offline between syncs).
 * Voided payments do not count.
 */
import type { TerminalParameters } from '../model';
import { decline, type Checked } from './result';

export const HOUR_SECONDS = 3_600;
export const DAY_SECONDS = 86_400;
export const DEFAULT_MAX_PAYMENTS_PER_HOUR = 10;

export interface VelocitySettings {
  readonly maxPaymentsPerHour?: number;
  readonly maxAmountPerDay?: number;
}

export interface VelocityLimits {
  readonly maxPaymentsPerHour: number;
  readonly maxAmountPerDay: number;
}

export function velocityLimits(
  settings: VelocitySettings,
  parameters: TerminalParameters,
): VelocityLimits {
  return {
    maxPaymentsPerHour: settings.maxPaymentsPerHour ?? DEFAULT_MAX_PAYMENTS_PER_HOUR,
    maxAmountPerDay: settings.maxAmountPerDay ?? parameters.limitOfflineAmount,
  };
}

/** One wallet's payments at this terminal over a window (what the ledger knows). */
export interface Activity {
  readonly count: number;
  readonly amount: number;
}

export function checkVelocity(
  amount: number,
  activity: { readonly lastHour: Activity; readonly lastDay: Activity },
  limits: VelocityLimits,
): Checked<object> {
  if (activity.lastHour.count + 1 > limits.maxPaymentsPerHour) {
    return decline(
      'over_terminal_velocity',
      `${activity.lastHour.count} payments of this wallet here in the last hour, at most ${limits.maxPaymentsPerHour}`,
    );
  }
  if (activity.lastDay.amount + amount > limits.maxAmountPerDay) {
    return decline(
      'over_terminal_velocity',
      `${activity.lastDay.amount} paid by this wallet here in the last day, + ${amount} is over ${limits.maxAmountPerDay}`,
    );
  }
  return { ok: true };
}
