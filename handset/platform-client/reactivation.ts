/**
 * Re-activation (S6) from the phone's side. A new phone replacing a lost one activates
 * exactly as a first phone does (`phone.activate(details)`: new key, IMEI, IMSI, the
 * user's registration details), with the details marked by `forReactivation`; the link
 * then asks the platform to re-activate (POST /v1/reactivations), which also moves the
 * lost wallet's e-cash to the new one minus the risk hold. The grant installs like any
 * other, its balance being the e-cash moved; the held rest arrives later as a
 * balance-update notice.
 */
import type { RegistrationDetails } from '../wallet/platform-link';

/** The `extra` key that marks registration details as a re-activation. */
export const REACTIVATION_KEY = 'reactivatePrevious';
/** Its value when the platform should pick the account's latest lost wallet. */
const LATEST = 'latest';

/**
 * Registration details that re-activate: `previousWalletIdHex` names the lost wallet
 * (32 lower-case hex), default the account's latest one reported lost or stolen.
 */
export function forReactivation(
  registration: RegistrationDetails,
  previousWalletIdHex?: string,
): RegistrationDetails {
  return {
    ...registration,
    extra: { ...registration.extra, [REACTIVATION_KEY]: previousWalletIdHex ?? LATEST },
  };
}

/** undefined: a plain activation; null: re-activate the latest; else that wallet's id. */
export function reactivationTarget(registration: RegistrationDetails): string | null | undefined {
  const value = registration.extra?.[REACTIVATION_KEY];
  if (value === undefined) return undefined;
  return value === LATEST ? null : value;
}

/** What the platform reported about the e-cash a re-activation moved. */
export interface ReactivationReport {
  readonly oldWalletId: string;
  /** Now on the new wallet (the grant's balance). */
  readonly moved: number;
  /** Kept until `holdUntil` for the old phone's late offline payments, then released. */
  readonly held: number;
  readonly holdUntil: number;
}
