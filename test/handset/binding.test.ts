/**
 * S3 (binding mismatch → locked, nothing signed) and S4 (locked longer than T → wiped):
 * the wallet's secrets are sealed under IMEI + IMSI + device secret, so another SIM or
 * handset cannot open them, and the lock outlives the swap being undone.
 */
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SW } from '../../protocol';
import { createPhone } from '../../handset';
import { HOUR } from './support/platform';
import {
  activatedRig,
  IMEI,
  IMSI,
  OTHER_IMEI,
  OTHER_IMSI,
  removeTempDirs,
  tempDir,
} from './support/setup';

afterEach(removeTempDirs);

describe('S3: binding mismatch', () => {
  it('locks when the SIM is swapped: 9F01, nothing signed, and the lock stays', async () => {
    const { terminal, phone, platform } = await activatedRig();
    await terminal.pay(terminal.request(100));
    const states: string[] = [];
    phone.on('state', (e) => states.push(e.to));

    phone.swapSim(OTHER_IMSI);
    expect(states).toEqual(['locked']);
    const { fci } = await terminal.select();
    expect(fci?.walletState).toBe('locked');
    expect(fci?.walletId).toBeDefined();
    expect((await terminal.pay(terminal.request(100), { select: false })).sw).toBe(SW.locked);
    expect((await terminal.readCertificate()).sw).toBe(SW.locked);
    expect((await terminal.readLog(1)).sw).toBe(SW.locked);
    expect(phone.snapshot().wallet).toMatchObject({
      state: 'locked',
      storage: 'sealed_other_identity',
    });
    expect(phone.snapshot().wallet.balance).toBeUndefined();

    // Putting the old SIM back opens the seal again, but the lock stays until the platform lifts it.
    phone.swapSim(IMSI);
    expect(phone.snapshot().wallet).toMatchObject({
      state: 'locked',
      storage: 'open',
      counter: 1,
      balance: platform.policy.initialBalance - 100,
    });
    expect((await terminal.pay(terminal.request(100))).sw).toBe(SW.locked);
    expect(phone.snapshot().wallet.counter).toBe(1);
  });

  it('locks when the wallet data moves to another handset (IMEI)', async () => {
    const { terminal, phone } = await activatedRig();
    phone.swapDevice(OTHER_IMEI);
    expect((await terminal.pay(terminal.request(100))).sw).toBe(SW.locked);
    expect(phone.snapshot().wallet.state).toBe('locked');
  });

  it('locks when the app starts with another identity', async () => {
    const rig = await activatedRig();
    const phone = rig.reopen({ imsi: OTHER_IMSI });
    rig.field.present(phone);
    expect((await rig.terminal.pay(rig.terminal.request(100))).sw).toBe(SW.locked);
    // …and restarting with the right identity does not forget the lock.
    const again = rig.reopen();
    expect(again.snapshot().wallet.state).toBe('locked');
  });

  it('cannot be opened from a copy of the folder on another phone (other device secret)', async () => {
    const rig = await activatedRig();
    const elsewhere = tempDir();
    copyFileSync(join(rig.stateDir, 'wallet.dat'), join(elsewhere, 'wallet.dat'));
    const clone = createPhone({ stateDir: elsewhere, imei: IMEI, imsi: IMSI, clock: rig.clock });
    expect(clone.snapshot().wallet).toMatchObject({ state: 'locked', storage: 'fault' });
    expect(clone.wallet.pay(rig.terminal.request(1), rig.terminal.certificate).ok).toBe(false);
  });

  it('does not lock on a binding the phone already had (activation binds to the current SIM)', async () => {
    const { phone } = await activatedRig();
    phone.swapSim(IMSI);
    expect(phone.snapshot().wallet.state).toBe('active');
  });
});

describe('S4: wipe after T locked', () => {
  it('erases the offline payment data once locked for longer than T', async () => {
    const { terminal, phone, clock, stateDir } = await activatedRig({
      params: { T: HOUR, T1: 86_400, T2: 30 * 86_400 },
    });
    phone.swapSim(OTHER_IMSI);
    clock.advance(HOUR);
    expect(phone.snapshot().wallet.state).toBe('locked');
    clock.advance(1);
    expect(phone.snapshot().wallet).toMatchObject({ state: 'wiped', storage: 'erased' });
    expect(phone.snapshot().wallet.wipedAt).toBe(clock.now());

    const { fci } = await terminal.select();
    expect(fci?.walletState).toBe('wiped');
    expect((await terminal.pay(terminal.request(1), { select: false })).sw).toBe(SW.wiped);
    // The sealed secrets are gone from the file, not merely hidden.
    phone.swapSim(IMSI);
    expect(phone.snapshot().wallet).toMatchObject({ state: 'wiped', balance: undefined });
    expect(readFileSync(join(stateDir, 'wallet.dat')).length).toBeLessThan(1_000);
  });

  it('wipes at power-on when T ran out while the phone was off', async () => {
    const { phone, clock } = await activatedRig({
      params: { T: HOUR, T1: 10 * HOUR, T2: 30 * 86_400 },
    });
    phone.swapSim(OTHER_IMSI);
    phone.powerOff();
    clock.advance(2 * HOUR);
    expect(phone.snapshot().wallet.state).toBe('locked');
    phone.powerOn();
    expect(phone.snapshot().wallet.state).toBe('wiped');
  });

  it('can be activated again after a wipe, on the new SIM', async () => {
    const { phone, clock, terminal } = await activatedRig();
    phone.swapSim(OTHER_IMSI);
    clock.advance(2 * HOUR);
    expect(phone.snapshot().wallet.state).toBe('wiped');
    await phone.activate({ accountId: 'ACC-000123', password: 'correct horse battery' });
    expect(phone.snapshot().wallet.state).toBe('active');
    expect((await terminal.pay(terminal.request(10))).sw).toBe(SW.ok);
  });
});
