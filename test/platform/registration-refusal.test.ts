/**
 * registration_mismatch names the detail at fault (`field`, message) for activation and
 * unlock, never a stored value, and tells a wrong account from a wrong password for no
 * one; every refusal, a missing ID number included, counts against the rate limit.
 */
import { describe, expect, it } from 'vitest';
import { generateSigningKey } from '../../protocol';
import { backends, useTestDatabases } from './support/databases';
import { testPlatform } from './support/platform';
import { errorOf } from './support/requests';
import { callers } from './support/units';
import { activateWallet, IMEI, IMSI, PASSWORD, registerUser } from './support/wallet-users';

const ID_NUMBER = 'ID-4711-SECRET';

describe.each(backends())('registration refusals on %s', (backend) => {
  const databases = useTestDatabases(backend);

  async function setup() {
    const platform = await testPlatform(await databases.fresh());
    const call = await callers(platform);
    await registerUser(platform, call, 'dora', 500, { idNumber: ID_NUMBER });
    return { platform, call };
  }

  const activation = (registration: Record<string, string>) => ({
    imei: IMEI,
    imsi: IMSI,
    walletPublicKey: Buffer.from(generateSigningKey().publicKey).toString('hex'),
    registration,
  });

  it('activation: names the ID number (missing or wrong) and never shows the stored one', async () => {
    const { platform, call } = await setup();
    const refuse = async (registration: Record<string, string>) => {
      const response = await platform.app.inject(
        call.anonymous('POST', '/v1/activations', activation(registration)),
      );
      expect(response.statusCode).toBe(403);
      expect(response.body).not.toContain(ID_NUMBER);
      return errorOf(response);
    };
    expect(await refuse({ accountId: 'dora', password: PASSWORD })).toEqual({
      code: 'registration_mismatch',
      field: 'registration.idNumber',
      message: expect.stringMatching(/ID number is missing/) as string,
    });
    expect(await refuse({ accountId: 'dora', password: PASSWORD, idNumber: 'ID-0000' })).toEqual({
      code: 'registration_mismatch',
      field: 'registration.idNumber',
      message: 'the ID number does not match the registration',
    });
    // A wrong password and an unknown account read the same: no account enumeration.
    const wrongPassword = await refuse({ accountId: 'dora', password: 'not the password' });
    const unknown = await refuse({ accountId: 'nobody', password: PASSWORD });
    expect(wrongPassword).toEqual(unknown);
    expect(wrongPassword).toMatchObject({ field: 'registration' });

    // Four failures so far (the missing ID number among them): one more, then 429.
    await refuse({ accountId: 'dora', password: PASSWORD });
    const limited = await platform.app.inject(
      call.anonymous(
        'POST',
        '/v1/activations',
        activation({ accountId: 'dora', password: PASSWORD, idNumber: ID_NUMBER }),
      ),
    );
    expect([limited.statusCode, errorOf(limited).code]).toEqual([429, 'rate_limited']);
  });

  it('unlock: names the ID number, and the account when it is not the wallet’s', async () => {
    const { platform, call } = await setup();
    await registerUser(platform, call, 'eve', 0);
    const wallet = await activateWallet(platform, call, 'dora', { idNumber: ID_NUMBER });
    const unlock = async (registration: Record<string, string>) => {
      const response = await platform.app.inject(
        call.wallet(wallet, 'POST', `/v1/wallets/${wallet.walletIdHex}/unlock`, {
          imei: IMEI,
          imsi: IMSI,
          registration,
        }),
      );
      expect(response.body).not.toContain(ID_NUMBER);
      return { status: response.statusCode, error: errorOf(response) };
    };
    expect(await unlock({ accountId: 'dora', password: PASSWORD })).toEqual({
      status: 403,
      error: expect.objectContaining({
        code: 'registration_mismatch',
        field: 'registration.idNumber',
      }) as object,
    });
    expect(await unlock({ accountId: 'eve', password: PASSWORD })).toEqual({
      status: 403,
      error: {
        code: 'registration_mismatch',
        field: 'registration.accountId',
        message: 'the account is not the one this wallet was activated for',
      },
    });
  });
});
