/** What SELECT tells about the wallet: which one, and whether it can pay (7.2 steps 1–3, 7). */
import { decodeFci, SW, type Fci, type ResponseApdu } from '../../../protocol';
import type { DeclineCode } from '../../../preload/contract/declines';
import type { HotlistView } from '../model';
import { tryDecode } from './decode';
import { decline, hex, type Checked } from './result';

export const PROTOCOL_VERSION = 1;

/** SELECT's answer → the FCI of a Tapsafe wallet of protocol version 1. */
export function checkSelect(select: ResponseApdu): Checked<{ fci: Fci }> {
  if (select.sw !== SW.ok) {
    return decline(
      'not_a_wallet',
      `SELECT of the Tapsafe AID answered ${select.sw.toString(16).toUpperCase()}`,
    );
  }
  const decoded = tryDecode(() => decodeFci(select.data), 'the SELECT answer (FCI)');
  if (!decoded.ok) return decoded;
  if (decoded.value.protocolVersion !== PROTOCOL_VERSION) {
    return decline(
      'unsupported_wallet',
      `protocol version ${decoded.value.protocolVersion}, this terminal speaks ${PROTOCOL_VERSION}`,
    );
  }
  return { ok: true, fci: decoded.value };
}

const STATE_DECLINES: Readonly<Record<Exclude<Fci['walletState'], 'active'>, DeclineCode>> = {
  not_activated: 'wallet_not_activated',
  locked: 'wallet_locked',
  temp_locked_power: 'wallet_temp_locked',
  temp_locked_network: 'wallet_temp_locked',
  disabled: 'wallet_disabled',
  wiped: 'wallet_wiped',
};

/**
 * Step 3 (`early`: states in which the wallet serves nothing, so even a torn tap cannot be
 * resolved) and step 7 (every state but active).
 */
export function checkWalletState(fci: Fci, stage: 'early' | 'payment'): Checked<object> {
  const state = fci.walletState;
  if (state === 'active') return { ok: true };
  const servesReads = ['temp_locked_power', 'temp_locked_network', 'disabled'].includes(state);
  if (stage === 'early' && servesReads) return { ok: true };
  return decline(STATE_DECLINES[state], `the wallet is ${state}`);
}

/** Step 2: a listed wallet is declined (the checkout DELIVERs its notices first). */
export function checkHotlist(hotlist: HotlistView, walletId: Uint8Array): Checked<object> {
  const entry = hotlist.lookup(walletId);
  if (entry === undefined) return { ok: true };
  return decline(
    'revoked',
    `wallet ${hex(walletId)} is on hotlist v${hotlist.version}: ${entry.reason} at ${entry.revokedAt}`,
  );
}
