/**
 * S7 (powered off longer than T1), S8 (no network longer than T2) and S9 (wrong details)
 * with the real phone against the real platform: the lock lifts only with the platform's
 * signed unlock after it re-checks IMEI, IMSI and the registration details.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FreshnessToken, SW } from '../../protocol';
import { PlatformRequestError } from '../../handset';
import { DEFAULT_WALLET_POLICY } from '../../platform/activation/surface';
import { PASSWORD, startRig, type Rig } from './support/rig';

const { T1, T2 } = DEFAULT_WALLET_POLICY;
let rig: Rig;
beforeAll(async () => {
  rig = await startRig();
});
afterAll(() => rig.close());

const activated = () => rig.activatedPhone('user');

describe('S7: powered off longer than T1', () => {
  it('temp-locks at power-on; the platform-signed unlock makes it active again', async () => {
    const { phone, terminal, field, accountId } = await activated();
    phone.powerOff();
    rig.clock.advance(T1 + 1);
    phone.powerOn();
    field.present(phone);
    expect(phone.snapshot().wallet.state).toBe('temp_locked_power');
    expect((await terminal.pay(terminal.request(100))).sw).toBe(SW.temp_locked_power);

    const outcome = await phone.requestUnlock({ accountId, password: PASSWORD });
    expect(outcome.notices.map((n) => n.result)).toEqual([{ ok: true, value: 'unlock' }]);
    expect(phone.snapshot().wallet.state).toBe('active');
    expect((await terminal.pay(terminal.request(100))).sw).toBe(SW.ok);
  });
});

describe('S8: no network longer than T2', () => {
  it('temp-locks, the token is older than T2, and after signal returns an unlock and a sync restore it', async () => {
    const { phone, terminal, accountId } = await activated();
    phone.loseSignal();
    rig.clock.advance(T2 + 1);
    expect(phone.snapshot().wallet.state).toBe('temp_locked_network');
    await terminal.select();
    const token = FreshnessToken.decode((await terminal.readFreshness()).data);
    expect(rig.clock.now() - token.value.syncTime).toBeGreaterThan(T2);
    await expect(phone.requestUnlock({ accountId, password: PASSWORD })).rejects.toMatchObject({
      code: 'no_network',
    });

    phone.regainSignal();
    await phone.requestUnlock({ accountId, password: PASSWORD });
    await phone.sync();
    expect(phone.snapshot().wallet.state).toBe('active');
    await terminal.select();
    const fresh = FreshnessToken.decode((await terminal.readFreshness()).data);
    expect(fresh.value.syncTime).toBe(rig.clock.now());
    expect((await terminal.pay(terminal.request(100))).sw).toBe(SW.ok);
  });
});

describe('S9: unlock verification fails', () => {
  it('refuses wrong details (403), then rate-limits (429), audits, and keeps the lock', async () => {
    const { phone, accountId } = await activated();
    phone.powerOff();
    rig.clock.advance(T1 + 1);
    phone.powerOn();
    const wrong = { accountId, password: 'not my password' };
    const first = phone.requestUnlock(wrong);
    await expect(first).rejects.toBeInstanceOf(PlatformRequestError);
    await expect(first).rejects.toMatchObject({
      code: 'refused',
      details: { status: 403, platformCode: 'registration_mismatch' },
    });
    for (let i = 0; i < 4; i++) await expect(phone.requestUnlock(wrong)).rejects.toThrow();
    await expect(phone.requestUnlock({ accountId, password: PASSWORD })).rejects.toMatchObject({
      code: 'rate_limited',
      details: { status: 429 },
    });
    expect(phone.snapshot().wallet.state).toBe('temp_locked_power');

    const walletIdHex = Buffer.from(phone.wallet.walletId as Uint8Array).toString('hex');
    const rows = await rig.platform.platform.state.db
      .selectFrom('audit_log')
      .select(['outcome', 'detail'])
      .where('action', '=', 'wallet.unlock')
      .where('subject', '=', `wallet:${walletIdHex}`)
      .execute();
    expect(rows).toHaveLength(5);
    expect(rows.every((r) => r.outcome === 'denied')).toBe(true);
    expect(JSON.stringify(rows)).not.toContain('not my password');

    // After the window, the right details unlock.
    rig.clock.advance(901);
    await phone.requestUnlock({ accountId, password: PASSWORD });
    expect(phone.snapshot().wallet.state).toBe('active');
  });
});
