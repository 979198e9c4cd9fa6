/**
 * S1 (activation) on the real platform, then S2's payment through the in-process field:
 * the record verifies under the key the issued certificate names, and the certificate
 * under the platform's issuer key.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaymentRecord, SW, WalletCertificate } from '../../protocol';
import { PlatformRequestError } from '../../handset';
import { ID_NUMBER, PASSWORD, startRig, type Rig } from './support/rig';

let rig: Rig;
beforeAll(async () => {
  rig = await startRig();
});
afterAll(() => rig.close());

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('S1: activation against the real platform', () => {
  it('binds, certifies and loads the e-cash; the phone then pays offline', async () => {
    await rig.addUser('alice', 12_000, { idNumber: ID_NUMBER });
    const { phone, terminal } = rig.newPhone();
    await phone.activate({
      accountId: 'alice',
      password: PASSWORD,
      extra: { idNumber: ID_NUMBER },
    });
    const wallet = phone.snapshot().wallet;
    expect(wallet).toMatchObject({ state: 'active', balance: 12_000, counter: 0 });
    const walletIdHex = hex(phone.wallet.walletId as Uint8Array);

    // The platform's records agree: wallet active, e-cash moved from the account.
    const shown = await rig.operator<{ status: string; balance: number; accountId: string }>(
      'GET',
      `/v1/wallets/${walletIdHex}`,
    );
    expect(shown.body).toMatchObject({ status: 'active', balance: 12_000, accountId: 'alice' });
    const account = await rig.operator<{ balance: number }>('GET', '/v1/accounts/alice');
    expect(account.body.balance).toBe(0);

    // PAY through the field; verify like a terminal, under the issued certificate.
    expect((await terminal.select()).fci?.walletState).toBe('active');
    const certificateApdu = await terminal.readCertificate();
    expect(certificateApdu.sw).toBe(SW.ok);
    const certificate = WalletCertificate.decode(certificateApdu.data);
    const [issuer] = await rig.platform.platform.state.keys.verifyingKeys();
    expect(() =>
      WalletCertificate.verify(certificate, issuer?.publicKey as Uint8Array),
    ).not.toThrow();
    const { sw, record } = await terminal.pay(terminal.request(1_500));
    expect(sw).toBe(SW.ok);
    const signed = record as ReturnType<typeof PaymentRecord.decode>;
    expect(() => PaymentRecord.verify(signed, certificate.value.walletPublicKey)).not.toThrow();
    expect(signed.value).toMatchObject({ counter: 1, amount: 1_500, balanceAfter: 10_500 });
    expect(hex(signed.value.walletId)).toBe(walletIdHex);
  });

  it('refuses wrong details (403 registration_mismatch) and a second wallet (409)', async () => {
    await rig.addUser('bob', 5_000);
    const stranger = rig.newPhone({ imei: '356938035643809', imsi: '310150987654321' });
    const refused = stranger.phone.activate({ accountId: 'bob', password: 'not the password' });
    await expect(refused).rejects.toBeInstanceOf(PlatformRequestError);
    await expect(refused).rejects.toMatchObject({
      code: 'refused',
      details: { status: 403, platformCode: 'registration_mismatch' },
    });
    expect(stranger.phone.snapshot().wallet.state).toBe('not_activated');

    await stranger.phone.activate({ accountId: 'bob', password: PASSWORD });
    const second = rig.newPhone({ imei: '356938035643817', imsi: '310150987654329' });
    await expect(
      second.phone.activate({ accountId: 'bob', password: PASSWORD }),
    ).rejects.toMatchObject({
      details: { status: 409, platformCode: 'wallet_exists' },
    });
  });
});
