/**
 * The platform-wide wallet policy given to every wallet at activation. Defaults here;
 * override per deployment with environment variables, read and checked with the rest of
 * the configuration at start (config.ts, a ConfigError naming a bad one) and reaching the
 * routes as `app.platform.walletPolicy`:
 *
 *   WALLET_T_SECONDS           T:  locked (binding mismatch) this long → the phone wipes   (default 7 days)
 *   WALLET_T1_SECONDS          T1: powered off longer → temp-locked at power-on           (default 3 days)
 *   WALLET_T2_SECONDS          T2: no network longer → temp-locked; terminals refuse
 *                              freshness tokens older than this                            (default 7 days)
 *   WALLET_CURRENCY            ISO 4217 numeric                                            (default 978, EUR)
 *   WALLET_LIMIT_PER_PAYMENT   minor units per offline payment                             (default 5 000)
 *   WALLET_LIMIT_OFFLINE_AMOUNT  cumulative offline amount since the last sync            (default 20 000)
 *   WALLET_LIMIT_OFFLINE_COUNT   offline payments since the last sync                     (default 20)
 *   WALLET_CERTIFICATE_DAYS    certificate validity                                        (default 365)
 *
 * T2 is what both the phone (temp-lock) and terminals (token age) enforce, so terminal
 * parameters should use the same value. The limits bound what a cloned or lost wallet can
 * spend offline before the hotlist reaches terminals (S5, S12).
 */
const DAY = 86_400;

export interface WalletPolicy {
  readonly T: number;
  readonly T1: number;
  readonly T2: number;
  readonly currency: number;
  readonly limitPerPayment: number;
  readonly limitOfflineAmount: number;
  readonly limitOfflineCount: number;
  readonly certificateSeconds: number;
}

export const DEFAULT_WALLET_POLICY: WalletPolicy = {
  T: 7 * DAY,
  T1: 3 * DAY,
  T2: 7 * DAY,
  currency: 978,
  limitPerPayment: 5_000,
  limitOfflineAmount: 20_000,
  limitOfflineCount: 20,
  certificateSeconds: 365 * DAY,
};

/**
 * What each setting may be: T2 is also every terminal's freshnessMaxAgeSeconds (60 s ..
 * 365 days, terminals/params.ts), the currency an ISO 4217 number, an offline count what a
 * certificate encodes.
 */
export const WALLET_POLICY_BOUNDS: Readonly<Record<keyof WalletPolicy, [number, number]>> = {
  T: [60, 3650 * DAY],
  T1: [60, 3650 * DAY],
  T2: [60, 365 * DAY],
  currency: [1, 999],
  limitPerPayment: [1, Number.MAX_SAFE_INTEGER],
  limitOfflineAmount: [1, Number.MAX_SAFE_INTEGER],
  limitOfflineCount: [1, 65_535],
  certificateSeconds: [DAY, 3650 * DAY],
};
