/**
 * S2 (offline payment) and S11 (torn tap) over the in-process reader: the phone checks its
 * binding, signs, and the record verifies under the certificate's key; a phone pulled away
 * after PAY gives the same signed record from READ LOG on the next tap, charged once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FreshnessToken, PaymentRecord, SW, WalletCertificate } from '../../protocol';
import { CardRemovedError } from '../../handset';
import { issuerKey } from './support/platform';
import { activatedRig, removeTempDirs } from './support/setup';
import { certifyTerminal } from './support/terminal';

afterEach(removeTempDirs);

describe('S2: offline payment', () => {
  it('signs a record that echoes the request and verifies under the certificate key', async () => {
    const { terminal, phone, platform, internalErrors } = await activatedRig();
    const { sw, fci } = await terminal.select();
    expect(sw).toBe(SW.ok);
    expect(fci?.walletState).toBe('active');

    const certificate = WalletCertificate.open(
      (await terminal.readCertificate()).data,
      issuerKey.publicKey,
    );
    expect(Buffer.from(fci?.walletId ?? []).equals(certificate.value.walletId)).toBe(true);
    const token = FreshnessToken.open((await terminal.readFreshness()).data, issuerKey.publicKey);
    expect(token.value.walletId).toEqual(certificate.value.walletId);

    const request = terminal.request(1_250);
    const paid = await terminal.pay(request, { select: false });
    expect(paid.sw).toBe(SW.ok);
    const record = paid.record as NonNullable<typeof paid.record>;
    PaymentRecord.verify(record, certificate.value.walletPublicKey);
    expect(record.value).toEqual({
      walletId: certificate.value.walletId,
      counter: 1,
      ...request.value,
      balanceAfter: platform.policy.initialBalance - 1_250,
      offlineCount: 1,
      offlineAmount: 1_250,
    });

    // Both sides agree on the money: the terminal's record and the phone's own balance.
    expect(phone.snapshot().wallet.balance).toBe(record.value.balanceAfter);
    expect(phone.snapshot().wallet.log[0]?.counter).toBe(1);
    expect(internalErrors).toEqual([]);
  });

  it('counts every payment, keeps the money after a restart, and keeps the balance agreed', async () => {
    const rig = await activatedRig();
    const amounts = [100, 2_000, 35, 999];
    let last = 0;
    for (const amount of amounts) {
      const { sw, record } = await rig.terminal.pay(rig.terminal.request(amount));
      expect(sw).toBe(SW.ok);
      expect(record?.value.counter).toBe(last + 1);
      last = record?.value.counter ?? 0;
    }
    const spent = amounts.reduce((a, b) => a + b, 0);
    const phone = rig.reopen();
    rig.field.present(phone);
    expect(phone.snapshot().wallet).toMatchObject({
      state: 'active',
      balance: rig.platform.policy.initialBalance - spent,
      counter: amounts.length,
      offlineCount: amounts.length,
      offlineAmount: spent,
    });
    const { record } = await rig.terminal.pay(rig.terminal.request(1));
    expect(record?.value.counter).toBe(amounts.length + 1);
  });

  it('refuses what the wallet or its certificate does not allow, signing nothing', async () => {
    const { terminal, phone, platform } = await activatedRig({
      initialBalance: 3_000,
      limitPerPayment: 2_500,
      limitOfflineAmount: 3_500,
      limitOfflineCount: 2,
    });
    expect((await terminal.pay(terminal.request(2_501))).sw).toBe(SW.over_payment_limit);
    expect((await terminal.pay(terminal.request(100, 156))).sw).toBe(SW.currency_mismatch);
    expect((await terminal.pay(terminal.request(0))).sw).toBe(SW.zero_amount);
    expect((await terminal.pay(terminal.request(2_000))).sw).toBe(SW.ok);
    expect((await terminal.pay(terminal.request(2_000))).sw).toBe(SW.over_offline_amount);
    expect((await terminal.pay(terminal.request(1_001))).sw).toBe(SW.insufficient_balance);
    expect((await terminal.pay(terminal.request(1_000))).sw).toBe(SW.ok);
    expect((await terminal.pay(terminal.request(1))).sw).toBe(SW.over_offline_count);
    expect(phone.snapshot().wallet).toMatchObject({ balance: 0, counter: 2 });

    // A sync resets the offline totals; the balance stays the wallet's own.
    await phone.sync();
    expect(phone.snapshot().wallet).toMatchObject({ offlineCount: 0, offlineAmount: 0 });
    expect((await terminal.pay(terminal.request(1))).sw).toBe(SW.insufficient_balance);
    expect(platform.policy.initialBalance).toBe(3_000);
  });

  it('refuses after the certificate expires', async () => {
    const { terminal, clock } = await activatedRig();
    clock.advance(366 * 86_400);
    // A terminal certificate renewed meanwhile: the wallet's own certificate is the subject.
    terminal.certificate = certifyTerminal(clock);
    // Keep the wallet reachable: the T2 lock is not what this test is about.
    expect((await terminal.pay(terminal.request(10))).sw).toBe(SW.certificate_expired);
  });
});

describe('S11: torn tap', () => {
  it('answers READ LOG on the next tap with the record signed before the card left', async () => {
    const { terminal, phone, platform } = await activatedRig();
    await terminal.select();
    const certificate = WalletCertificate.decode((await terminal.readCertificate()).data);
    // Next tap: the terminal reads the log before asking again.
    const { request, torn, cardLeft, sw, records } = await terminal.tornPayThenReadLog(700, phone);
    expect(torn).toBeInstanceOf(CardRemovedError);
    expect(cardLeft).toBe(true);
    expect(sw).toBe(SW.ok);
    expect(records).toHaveLength(1);
    const recovered = records[0] as (typeof records)[number];
    PaymentRecord.verify(recovered, certificate.value.walletPublicKey);
    expect(recovered.value).toMatchObject({ counter: 1, ...request.value });
    // The very bytes the wallet stored when it signed: one record, one debit.
    expect(phone.snapshot().wallet.log).toHaveLength(1);
    expect(phone.snapshot().wallet.balance).toBe(platform.policy.initialBalance - 700);
  });

  it('rejects an exchange when the phone is pulled away or switched off mid-flight', async () => {
    const { terminal, field, phone } = await activatedRig();
    const pending = terminal.select();
    field.remove();
    await expect(pending).rejects.toBeInstanceOf(CardRemovedError);

    field.present(phone);
    phone.powerOff();
    await expect(terminal.select()).rejects.toThrow();
    expect(field.current).toBeUndefined();
  });

  it('serves the newest records first, at most as many as asked', async () => {
    const { terminal } = await activatedRig();
    for (let i = 0; i < 5; i++) await terminal.pay(terminal.request(10 + i));
    const { records } = await terminal.readLog(3);
    expect(records.map((r) => r.value.counter)).toEqual([5, 4, 3]);
  });
});
