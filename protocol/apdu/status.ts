/**
 * Status words (SW1 SW2) the wallet applet answers. ISO 7816-4 words for transport-level
 * faults; the proprietary 9Fxx range for business refusals, one word per reason, so a
 * terminal can tell the cashier exactly why a phone declined without parsing any data.
 */

export interface StatusWord {
  readonly sw: number;
  readonly meaning: string;
}

/**
 * Every status word, by name. `more_data` and `wrong_le` are families: their low byte
 * carries a length (61xx: bytes still waiting, 00 = 256 or more; 6Cxx: the exact Le to
 * resend with), so their `sw` is the family's base with a zero low byte.
 */
export const STATUS_WORDS = {
  ok: { sw: 0x9000, meaning: 'success' },
  more_data: {
    sw: 0x6100,
    meaning: 'more data: xx bytes wait for GET RESPONSE (00 = 256 or more)',
  },
  wrong_le: {
    sw: 0x6c00,
    meaning: 'wrong Le: resend with Le = xx (never sent by the applet; terminals follow it)',
  },
  wrong_length: {
    sw: 0x6700,
    meaning: 'wrong length: Lc or Le missing, present or impossible for this command',
  },
  malformed_data: { sw: 0x6a80, meaning: 'malformed data: the command data does not decode' },
  application_not_found: { sw: 0x6a82, meaning: 'application not found: SELECT of another AID' },
  wrong_p1p2: { sw: 0x6b00, meaning: 'wrong P1/P2' },
  unknown_instruction: { sw: 0x6d00, meaning: 'instruction not supported' },
  class_not_supported: { sw: 0x6e00, meaning: 'class not supported for this instruction' },
  conditions_not_satisfied: {
    sw: 0x6985,
    meaning: 'conditions not satisfied, e.g. GET RESPONSE with nothing pending',
  },
  internal_error: { sw: 0x6f00, meaning: 'internal error, no precise diagnosis' },
  locked: { sw: 0x9f01, meaning: 'locked: device binding does not match' },
  temp_locked_power: { sw: 0x9f02, meaning: 'temporarily locked: powered off longer than T1' },
  temp_locked_network: { sw: 0x9f03, meaning: 'temporarily locked: no network longer than T2' },
  disabled: { sw: 0x9f04, meaning: 'disabled by the platform' },
  wiped: { sw: 0x9f05, meaning: 'wiped' },
  insufficient_balance: { sw: 0x9f06, meaning: 'insufficient balance' },
  over_payment_limit: { sw: 0x9f07, meaning: 'amount over the per-payment offline limit' },
  over_offline_amount: {
    sw: 0x9f08,
    meaning: 'over the cumulative offline amount limit since sync',
  },
  over_offline_count: { sw: 0x9f09, meaning: 'over the offline payment count limit since sync' },
  not_activated: { sw: 0x9f0a, meaning: 'wallet not activated' },
  notification_replay: { sw: 0x9f0b, meaning: 'notification replay: sequence already applied' },
  notification_unknown_signer: {
    sw: 0x9f0c,
    meaning: 'notification not signed by a known platform key',
  },
  certificate_expired: { sw: 0x9f0d, meaning: 'wallet certificate expired' },
  currency_mismatch: { sw: 0x9f0e, meaning: "request currency differs from the wallet's" },
  zero_amount: { sw: 0x9f0f, meaning: 'amount is zero: nothing to pay' },
  terminal_not_authenticated: {
    sw: 0x9f10,
    meaning: 'READ or PAY before a terminal certificate was accepted in this session',
  },
  terminal_certificate_invalid: {
    sw: 0x9f11,
    meaning: 'terminal certificate not signed by a known platform issuer key',
  },
  terminal_certificate_expired: {
    sw: 0x9f12,
    meaning: 'terminal certificate not valid now',
  },
  terminal_suspended: {
    sw: 0x9f13,
    meaning: 'terminal certificate suspended by a platform notice',
  },
  request_signature_invalid: {
    sw: 0x9f14,
    meaning: 'payment request not signed by the certified terminal key',
  },
  request_terminal_mismatch: {
    sw: 0x9f15,
    meaning: 'payment request merchant or terminal id differs from the certificate',
  },
  nonce_reused: {
    sw: 0x9f16,
    meaning: 'nonce already signed for with another request',
  },
} as const satisfies Record<string, StatusWord>;

export type StatusName = keyof typeof STATUS_WORDS;

/** Name → status word number, for code that answers or compares: `SW.insufficient_balance`. */
export const SW = Object.fromEntries(
  Object.entries(STATUS_WORDS).map(([name, entry]) => [name, entry.sw]),
) as { readonly [K in StatusName]: (typeof STATUS_WORDS)[K]['sw'] };

/** Families whose low byte is a parameter rather than part of the identity. */
const FAMILIES: ReadonlySet<number> = new Set([SW.more_data >> 8, SW.wrong_le >> 8]);

const BY_SW = new Map<number, StatusName>(
  Object.entries(STATUS_WORDS).map(([name, entry]) => [entry.sw, name as StatusName]),
);

/** The name of a status word, families matched on SW1; undefined for words we never use. */
export function statusName(sw: number): StatusName | undefined {
  if (!Number.isInteger(sw) || sw < 0 || sw > 0xffff) return undefined;
  const key = FAMILIES.has(sw >> 8) ? sw & 0xff00 : sw;
  return BY_SW.get(key);
}

/** 61xx announcing `remaining` bytes; 00 stands for 256 or more, as ISO 7816-4 says. */
export function moreDataSw(remaining: number): number {
  return SW.more_data | (Math.min(remaining, 256) & 0xff);
}
