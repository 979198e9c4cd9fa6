/**
 * The parameters a terminal receives at enrollment (and keeps in terminals.params). The
 * defaults below are the platform's configuration; an operator may override any of them
 * per terminal when creating its enrollment code.
 *
 * - limits: the terminal's own offline limits, applied on top of each certificate's;
 * - freshnessMaxAgeSeconds (T2): a freshness token older than this is refused (S8);
 * - hotlistMaxAgeSeconds: a terminal whose hotlist is older than this refuses payments
 *   until it downloads a newer one (PROTOCOL.md terminal checks);
 * - settlement: the batch period and how long after its end the upload is due.
 */
import { z } from 'zod';
import { DEFAULT_WALLET_POLICY, type WalletPolicy } from '../activation/policy';

const Money = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const Seconds = z
  .number()
  .int()
  .min(60)
  .max(365 * 24 * 3600);

export const TerminalParams = z
  .object({
    currency: z.number().int().min(1).max(999),
    limitPerPayment: Money,
    limitOfflineAmount: Money,
    limitOfflineCount: z.number().int().min(0).max(65535),
    freshnessMaxAgeSeconds: Seconds,
    hotlistMaxAgeSeconds: Seconds,
    settlement: z.object({ periodSeconds: Seconds, uploadWithinSeconds: Seconds }).strict(),
  })
  .strict();
export type TerminalParams = z.infer<typeof TerminalParams>;

// Currency, limits and T2 follow the wallet policy (activation/policy.ts, WALLET_*):
// phones and terminals must enforce the same T2, and a terminal's limits above a
// certificate's would never bind.
export function defaultTerminalParams(policy: WalletPolicy): TerminalParams {
  return {
    currency: policy.currency,
    limitPerPayment: policy.limitPerPayment,
    limitOfflineAmount: policy.limitOfflineAmount,
    limitOfflineCount: policy.limitOfflineCount,
    freshnessMaxAgeSeconds: policy.T2,
    hotlistMaxAgeSeconds: 24 * 3600, // a lost phone is refused everywhere within a day
    settlement: { periodSeconds: 24 * 3600, uploadWithinSeconds: 6 * 3600 },
  };
}

/** The defaults under the default wallet policy. */
export const DEFAULT_TERMINAL_PARAMS: TerminalParams = defaultTerminalParams(DEFAULT_WALLET_POLICY);

/** Per-code overrides: any top-level field, settlement as a whole. */
export const TerminalParamsOverride = TerminalParams.partial();
export type TerminalParamsOverride = z.infer<typeof TerminalParamsOverride>;

export function resolveParams(
  policy: WalletPolicy,
  override: TerminalParamsOverride = {},
): TerminalParams {
  return TerminalParams.parse({ ...defaultTerminalParams(policy), ...override });
}
