/**
 * The platform-wide wallet policy given to every wallet at activation. Defaults here;
 * override per deployment with environment variables (read once, at module load):
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

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number, max: number): number {
  const text = env[name]?.trim();
  if (text === undefined || text === '') return fallback;
  const value = /^[0-9]{1,15}$/.test(text) ? Number(text) : NaN;
  if (!(value >= 1 && value <= max)) throw new RangeError(`${name} must be 1..${max}, got ${text}`);
  return value;
}

export function walletPolicyFromEnv(env: NodeJS.ProcessEnv = process.env): WalletPolicy {
  const d = DEFAULT_WALLET_POLICY;
  const big = Number.MAX_SAFE_INTEGER;
  return {
    T: positive(env, 'WALLET_T_SECONDS', d.T, big),
    T1: positive(env, 'WALLET_T1_SECONDS', d.T1, big),
    T2: positive(env, 'WALLET_T2_SECONDS', d.T2, big),
    currency: positive(env, 'WALLET_CURRENCY', d.currency, 999),
    limitPerPayment: positive(env, 'WALLET_LIMIT_PER_PAYMENT', d.limitPerPayment, big),
    limitOfflineAmount: positive(env, 'WALLET_LIMIT_OFFLINE_AMOUNT', d.limitOfflineAmount, big),
    limitOfflineCount: positive(env, 'WALLET_LIMIT_OFFLINE_COUNT', d.limitOfflineCount, 65_535),
    certificateSeconds: positive(env, 'WALLET_CERTIFICATE_DAYS', 365, 3650) * DAY,
  };
}

export const walletPolicy: WalletPolicy = walletPolicyFromEnv();
