/**
 * S5 (lost phone: the platform's lock / disable notice reaches the phone through a
 * terminal or a sync; replays and forgeries are refused) and S6 (migration: the old phone
 * erases itself on the migrate-out notice while the new one pays).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SW } from '../../protocol';
import { strangerKey } from './support/platform';
import { activatedRig, removeTempDirs, REGISTRATION } from './support/setup';

afterEach(removeTempDirs);

const walletIdOf = (rig: { phone: { wallet: { walletId: Uint8Array | undefined } } }): Uint8Array =>
  rig.phone.wallet.walletId as Uint8Array;

describe('S5: platform notices relayed by a terminal (DELIVER)', () => {
  it.each(['lock', 'disable'] as const)('a %s notice disables offline payment', async (type) => {
    const rig = await activatedRig();
    const { terminal, platform } = rig;
    const notice = platform.notice(walletIdOf(rig), type);
    await terminal.select();
    expect(await terminal.deliver(notice)).toBe(SW.ok);
    const { fci } = await terminal.select();
    expect(fci?.walletState).toBe('disabled');
    expect((await terminal.pay(terminal.request(10), { select: false })).sw).toBe(SW.disabled);
    // The log stays readable, so a terminal can still complete a torn tap.
    expect((await terminal.readLog(1)).sw).toBe(SW.ok);
  });

  it('refuses a replayed notice (9F0B) and a forged one (9F0C)', async () => {
    const rig = await activatedRig();
    const { terminal, platform, phone } = rig;
    const walletId = walletIdOf(rig);
    const lock = platform.notice(walletId, 'lock');
    await terminal.select();
    expect(await terminal.deliver(lock)).toBe(SW.ok);
    expect(await terminal.deliver(lock)).toBe(SW.notification_replay);

    // A forger with a fresh sequence number and a plausible body, but not the platform's key.
    const forged = platform.notice(walletId, 'unlock', { key: strangerKey, sequence: 99 });
    expect(await terminal.deliver(forged)).toBe(SW.notification_unknown_signer);
    // A genuine notice with one bit of its signature changed fails as well.
    const tampered = new Uint8Array(platform.notice(walletId, 'unlock', { sequence: 100 }));
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] as number) ^ 0x01;
    expect(await terminal.deliver(tampered)).toBe(SW.notification_unknown_signer);
    expect(phone.snapshot().wallet).toMatchObject({ state: 'disabled', lastSequence: 1 });
  });

  it('refuses a notice for another wallet and garbage in place of a notice', async () => {
    const rig = await activatedRig();
    const other = await activatedRig();
    const notice = other.platform.notice(walletIdOf(other), 'lock');
    await rig.terminal.select();
    expect(await rig.terminal.deliver(notice)).toBe(SW.malformed_data);
    expect(await rig.terminal.deliver(Uint8Array.of(0xf0, 0x01, 0x00))).toBe(SW.malformed_data);
    expect(rig.phone.snapshot().wallet.state).toBe('active');
  });

  it('applies the notices a sync brings, each once, in sequence order', async () => {
    const rig = await activatedRig();
    const { platform, phone, terminal } = rig;
    const walletId = walletIdOf(rig);
    platform.notice(walletId, 'top_up', { amount: 500 });
    platform.notice(walletId, 'disable');
    const first = await phone.sync();
    expect(first.notices.map((n) => n.result.ok)).toEqual([true, true]);
    expect(phone.snapshot().wallet).toMatchObject({
      state: 'disabled',
      balance: platform.policy.initialBalance + 500,
      lastSequence: 2,
    });
    expect((await terminal.pay(terminal.request(10))).sw).toBe(SW.disabled);

    // An unlock after re-verification brings it back; the old notices are not re-applied.
    await phone.requestUnlock(REGISTRATION);
    expect(phone.snapshot().wallet).toMatchObject({
      state: 'active',
      balance: platform.policy.initialBalance + 500,
    });
    expect((await terminal.pay(terminal.request(10))).sw).toBe(SW.ok);
  });

  it('a locked phone still takes a wipe notice, but keeps an unlock for when the SIM is back', async () => {
    const rig = await activatedRig();
    const { platform, phone, terminal } = rig;
    const walletId = walletIdOf(rig);
    phone.swapSim('310150999999999');
    await terminal.select();
    const unlock = platform.notice(walletId, 'unlock');
    expect(await terminal.deliver(unlock)).toBe(SW.locked);
    phone.swapSim('310150123456789');
    expect(await terminal.deliver(unlock)).toBe(SW.ok);
    expect(phone.snapshot().wallet.state).toBe('active');

    phone.swapSim('310150999999999');
    expect(await terminal.deliver(platform.notice(walletId, 'wipe'))).toBe(SW.ok);
    expect(phone.snapshot().wallet.state).toBe('wiped');
    expect(await terminal.deliver(platform.notice(walletId, 'unlock'))).toBe(SW.wiped);
  });
});

describe('S6: migration to a new phone', () => {
  it('the old phone erases itself on migrate-out, by DELIVER or by sync', async () => {
    for (const via of ['terminal', 'sync'] as const) {
      const old = await activatedRig();
      // The user re-verifies and activates a new phone on the same account.
      const fresh = await activatedRig();
      expect((await fresh.terminal.pay(fresh.terminal.request(10))).sw).toBe(SW.ok);

      const notice = old.platform.notice(walletIdOf(old), 'migrate_out', { amount: 10_000 });
      if (via === 'terminal') {
        await old.terminal.select();
        expect(await old.terminal.deliver(notice)).toBe(SW.ok);
      } else {
        await old.phone.sync();
      }
      expect(old.phone.snapshot().wallet).toMatchObject({ state: 'wiped', storage: 'erased' });
      expect((await old.terminal.pay(old.terminal.request(10))).sw).toBe(SW.wiped);
      const reopened = old.reopen();
      expect(reopened.snapshot().wallet.state).toBe('wiped');
    }
  });
});
