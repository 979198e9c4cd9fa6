/** Before the wallet is asked anything: terminal ready, a Tapsafe FCI, not revoked, its state. */
import { describe, expect, it } from 'vitest';
import type { WALLET_STATES } from '../../../protocol';
import { encodeFci, SW } from '../../../protocol';
import {
  checkHotlist,
  checkReady,
  checkSelect,
  checkWalletState,
} from '../../../main/terminal/verify';
import { DAY } from '../../handset/support/platform';
import { certifyTerminal } from '../../handset/support/terminal';
import { MemoryHotlist, NOW, OTHER_WALLET_ID, terminalSetup, WALLET_ID } from '../support/world';

describe('checkReady', () => {
  it('accepts a hotlist exactly hotlistMaxAgeSeconds old', () => {
    const setup = terminalSetup({ hotlist: new MemoryHotlist(3, NOW - DAY) });
    expect(checkReady(setup, NOW).ok).toBe(true);
  });

  it('declines terminal_not_ready with a stale hotlist, with none, with an expired certificate', () => {
    const stale = terminalSetup({ hotlist: new MemoryHotlist(3, NOW - DAY - 1) });
    expect(checkReady(stale, NOW)).toMatchObject({ ok: false, code: 'terminal_not_ready' });
    const none = terminalSetup({ hotlist: new MemoryHotlist(0, undefined) });
    expect(checkReady(none, NOW)).toMatchObject({ code: 'terminal_not_ready' });
    const setup = terminalSetup();
    const expired = terminalSetup({
      identity: {
        ...setup.identity,
        certificate: certifyTerminal({ now: () => NOW - 40 * DAY }),
      },
    });
    expect(checkReady(expired, NOW)).toMatchObject({ code: 'terminal_not_ready' });
  });
});

describe('checkSelect', () => {
  const fci = (walletState: (typeof WALLET_STATES)[number], protocolVersion = 1) =>
    encodeFci({ protocolVersion, walletState, walletId: WALLET_ID });

  it('reads the walletId of an active wallet', () => {
    const checked = checkSelect({ data: fci('active'), sw: SW.ok });
    expect(checked.ok && Buffer.from(checked.fci.walletId ?? [])).toEqual(Buffer.from(WALLET_ID));
  });

  it('declines not_a_wallet for 6A82, unsupported_wallet for version 2, malformed_answer', () => {
    expect(checkSelect({ data: new Uint8Array(0), sw: 0x6a82 })).toMatchObject({
      code: 'not_a_wallet',
    });
    expect(checkSelect({ data: fci('active', 2), sw: SW.ok })).toMatchObject({
      code: 'unsupported_wallet',
    });
    expect(checkSelect({ data: Buffer.from('6f03df0101', 'hex'), sw: SW.ok })).toMatchObject({
      code: 'malformed_answer',
    });
  });
});

describe('checkWalletState', () => {
  const state = (walletState: (typeof WALLET_STATES)[number]) => ({
    protocolVersion: 1,
    walletState,
    walletId: WALLET_ID,
  });

  it('declines each unusable state with its own code', () => {
    expect(checkWalletState(state('not_activated'), 'early')).toMatchObject({
      code: 'wallet_not_activated',
    });
    expect(checkWalletState(state('locked'), 'early')).toMatchObject({ code: 'wallet_locked' });
    expect(checkWalletState(state('wiped'), 'early')).toMatchObject({ code: 'wallet_wiped' });
    expect(checkWalletState(state('disabled'), 'payment')).toMatchObject({
      code: 'wallet_disabled',
    });
    expect(checkWalletState(state('temp_locked_power'), 'payment')).toMatchObject({
      code: 'wallet_temp_locked',
    });
    expect(checkWalletState(state('temp_locked_network'), 'payment')).toMatchObject({
      code: 'wallet_temp_locked',
    });
  });

  it('lets a temp-locked or disabled wallet through the early check (its log can be read)', () => {
    for (const s of ['temp_locked_power', 'temp_locked_network', 'disabled'] as const) {
      expect(checkWalletState(state(s), 'early').ok).toBe(true);
    }
    expect(checkWalletState(state('active'), 'payment').ok).toBe(true);
  });
});

describe('checkHotlist', () => {
  it('declines revoked for a listed wallet and passes another', () => {
    const hotlist = new MemoryHotlist(7, NOW, [
      { walletId: WALLET_ID, reason: 'lost', revokedAt: NOW - 60 },
    ]);
    const listed = checkHotlist(hotlist, WALLET_ID);
    expect(listed).toMatchObject({ ok: false, code: 'revoked' });
    expect(!listed.ok && listed.detail).toContain('lost');
    expect(checkHotlist(hotlist, OTHER_WALLET_ID).ok).toBe(true);
  });
});
