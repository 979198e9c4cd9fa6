/**
 * What every check returns: the facts it established, or a decline a cashier can act on.
 * Checks are pure functions of what the wallet sent, the terminal's setup, its clock and
 * what its ledger knows; the checkout runs them in docs/protocol.md 7.2's order.
 */
import type { DeclineCode } from '../../../preload/contract/declines';

export interface Decline {
  readonly ok: false;
  readonly code: DeclineCode;
  /** What exactly failed, for the history screen and the logs (no secrets). */
  readonly detail: string;
}

export type Checked<T extends object> = ({ readonly ok: true } & T) | Decline;

export const decline = (code: DeclineCode, detail: string): Decline => ({
  ok: false,
  code,
  detail,
});

export const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

export const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(b);
