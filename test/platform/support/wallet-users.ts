/** Users and activated wallets made through the real routes (accounts, activation). */
import { generateSigningKey } from '../../../protocol';
import type { WalletFixture } from './fixtures';
import type { TestPlatform } from './platform';
import type { Callers } from './units';

export const PASSWORD = 'correct horse battery';
export const IMEI = '490154203237518';
export const IMSI = '310150123456789';

export async function registerUser(
  platform: TestPlatform,
  call: Callers,
  accountId: string,
  balance: number,
  extra: { idNumber?: string } = {},
): Promise<void> {
  const response = await platform.app.inject(
    call.operator('POST', '/v1/accounts', {
      accountId,
      name: `User ${accountId}`,
      password: PASSWORD,
      balance,
      ...extra,
    }),
  );
  if (response.statusCode !== 201) throw new Error(`register ${accountId}: ${response.body}`);
}

export interface GrantJson {
  walletId: string;
  serial: number;
  certificate: string;
  bindingSalt: string;
  params: { T: number; T1: number; T2: number };
  issuerKeys: string[];
  currency: number;
  balance: number;
  freshness: string;
  notificationSequence: number;
}

export interface ActivatedWallet extends WalletFixture {
  readonly grant: GrantJson;
}

export async function activateWallet(
  platform: TestPlatform,
  call: Callers,
  accountId: string,
  options: { imei?: string; imsi?: string; idNumber?: string; amount?: number } = {},
): Promise<ActivatedWallet> {
  const key = generateSigningKey();
  const response = await platform.app.inject(
    call.anonymous('POST', '/v1/activations', {
      imei: options.imei ?? IMEI,
      imsi: options.imsi ?? IMSI,
      walletPublicKey: Buffer.from(key.publicKey).toString('hex'),
      registration: {
        accountId,
        password: PASSWORD,
        ...(options.idNumber === undefined ? {} : { idNumber: options.idNumber }),
      },
      ...(options.amount === undefined ? {} : { amount: options.amount }),
    }),
  );
  if (response.statusCode !== 201) throw new Error(`activate ${accountId}: ${response.body}`);
  const grant = response.json<GrantJson>();
  return {
    walletId: Buffer.from(grant.walletId, 'hex'),
    walletIdHex: grant.walletId,
    accountId,
    key,
    grant,
  };
}
