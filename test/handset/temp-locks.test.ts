/**
 * S7 (powered off longer than T1 → temp-locked at power-on), S8 (no network longer than
 * T2 → temp-locked) and S9 (unlock refused on wrong registration details): a temporary lock
 * lifts only with a platform-signed unlock, after the user re-verifies.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SW } from '../../protocol';
import { SyncError } from '../../handset';
import { DAY, HOUR, RefusedError } from './support/platform';
import { activatedRig, removeTempDirs, REGISTRATION } from './support/setup';

afterEach(removeTempDirs);

const params = { T: HOUR, T1: DAY, T2: 2 * DAY };

describe('S7: powered off longer than T1', () => {
  it('temp-locks at power-on (9F02) until a signed unlock', async () => {
    const { phone, clock, terminal, field } = await activatedRig({ params });
    phone.powerOff();
    clock.advance(DAY + 1);
    phone.powerOn();
    field.present(phone);
    const { fci } = await terminal.select();
    expect(fci?.walletState).toBe('temp_locked_power');
    expect((await terminal.pay(terminal.request(10), { select: false })).sw).toBe(
      SW.temp_locked_power,
    );

    const outcome = await phone.requestUnlock(REGISTRATION);
    expect(outcome.notices.map((n) => n.result.ok)).toEqual([true]);
    expect((await terminal.pay(terminal.request(10))).sw).toBe(SW.ok);
  });

  it('stays active after a short power-off, and survives an app restart while off', async () => {
    const rig = await activatedRig({ params });
    rig.phone.powerOff();
    rig.clock.advance(DAY);
    rig.phone.powerOn();
    expect(rig.phone.snapshot().wallet.state).toBe('active');

    rig.phone.powerOff();
    const phone = rig.reopen();
    expect(phone.powered).toBe(false);
    rig.clock.advance(DAY + 1);
    phone.powerOn();
    expect(phone.snapshot().wallet.state).toBe('temp_locked_power');
  });

  it('S9: refuses the unlock on wrong registration details; the lock stays', async () => {
    const { phone, clock } = await activatedRig({ params });
    phone.powerOff();
    clock.advance(2 * DAY);
    phone.powerOn();
    await expect(
      phone.requestUnlock({ accountId: REGISTRATION.accountId, password: 'wrong' }),
    ).rejects.toBeInstanceOf(RefusedError);
    expect(phone.snapshot().wallet.state).toBe('temp_locked_power');
  });
});

describe('S8: no network longer than T2', () => {
  it('temp-locks (9F03) while the phone stays silent, and needs an unlock after signal returns', async () => {
    const { phone, clock, terminal } = await activatedRig({ params });
    phone.loseSignal();
    clock.advance(2 * DAY);
    expect((await terminal.pay(terminal.request(10))).sw).toBe(SW.ok);
    clock.advance(1);
    // Locked since the moment T2 ran out, whenever the phone noticed.
    expect(phone.snapshot().wallet).toMatchObject({
      state: 'temp_locked_network',
      since: clock.now() - 1,
    });
    expect((await terminal.pay(terminal.request(10))).sw).toBe(SW.temp_locked_network);
    await expect(phone.sync()).rejects.toBeInstanceOf(SyncError);

    phone.regainSignal();
    expect(phone.snapshot().wallet.state).toBe('temp_locked_network');
    await phone.sync();
    expect(phone.snapshot().wallet.state).toBe('temp_locked_network');
    await phone.requestUnlock(REGISTRATION);
    expect((await terminal.pay(terminal.request(10))).sw).toBe(SW.ok);
  });

  it('does not lock when signal returns within T2, and the unlock opens a fresh T2 window', async () => {
    const { phone, clock } = await activatedRig({ params });
    phone.loseSignal();
    clock.advance(2 * DAY - 1);
    phone.regainSignal();
    clock.advance(10 * DAY);
    expect(phone.snapshot().wallet.state).toBe('active');
  });

  it('counts the silence from when signal was lost, even across a power cycle', async () => {
    const { phone, clock } = await activatedRig({ params: { ...params, T1: 10 * DAY } });
    phone.loseSignal();
    clock.advance(DAY);
    phone.powerOff();
    clock.advance(DAY);
    phone.powerOn();
    expect(phone.snapshot().wallet.state).toBe('active');
    clock.advance(1);
    expect(phone.snapshot().wallet.state).toBe('temp_locked_network');
  });
});
