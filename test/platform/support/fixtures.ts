/** Rows the platform tests need before the units that create them exist. */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { generateSigningKey, type SigningKey } from '../../../protocol';
import type { PlatformDatabase, TerminalStatus, WalletStatus } from '../../../platform/db/schema';

let lastSerial = 0;
const nextSerial = () => (lastSerial += 1);

export interface WalletFixture {
  readonly walletId: Uint8Array;
  readonly walletIdHex: string;
  readonly accountId: string;
  readonly key: SigningKey;
}

export async function insertAccount(
  db: Kysely<PlatformDatabase>,
  accountId: string,
  at = 1_700_000_000,
): Promise<void> {
  await db
    .insertInto('accounts')
    .values({
      account_id: accountId,
      name: `Test ${accountId}`,
      // A syntactically valid scrypt string; no test here checks the password.
      password_hash: `scrypt$32768$8$1$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(32).toString('base64')}`,
      id_number_hash: null,
      phone_number: null,
      created_at: at,
    })
    .execute();
}

export async function insertWallet(
  db: Kysely<PlatformDatabase>,
  options: { accountId?: string; status?: WalletStatus; key?: SigningKey; at?: number } = {},
): Promise<WalletFixture> {
  const accountId = options.accountId ?? `acct-${randomBytes(4).toString('hex')}`;
  const existing = await db
    .selectFrom('accounts')
    .select('account_id')
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  if (existing === undefined) await insertAccount(db, accountId);
  const key = options.key ?? generateSigningKey();
  const walletId = randomBytes(16);
  const status = options.status ?? 'active';
  const revoked = status === 'revoked' || status === 'migrated';
  await db
    .insertInto('wallets')
    .values({
      wallet_id: walletId,
      account_id: accountId,
      public_key: key.publicKey,
      binding_salt: randomBytes(16),
      imei: '490154203237518',
      imsi: '310150123456789',
      certificate: Uint8Array.of(0xf0, 0x00),
      serial: nextSerial(),
      status,
      currency: 978,
      limit_per_payment: 5_000,
      limit_offline_amount: 20_000,
      limit_offline_count: 10,
      created_at: options.at ?? 1_700_000_000,
      revoked_at: revoked ? (options.at ?? 1_700_000_000) : null,
      revoke_reason: revoked ? (status === 'migrated' ? 'migrated' : 'lost') : null,
    })
    .execute();
  return { walletId, walletIdHex: walletId.toString('hex'), accountId, key };
}

export interface TerminalFixture {
  readonly terminalId: string;
  readonly merchantId: string;
  readonly key: SigningKey;
}

export async function insertTerminal(
  db: Kysely<PlatformDatabase>,
  options: {
    terminalId?: string;
    merchantId?: string;
    status?: TerminalStatus;
    key?: SigningKey;
  } = {},
): Promise<TerminalFixture> {
  const merchantId = options.merchantId ?? `M-${randomBytes(3).toString('hex')}`;
  await db
    .insertInto('merchants')
    .values({ merchant_id: merchantId, name: `Shop ${merchantId}`, created_at: 1_700_000_000 })
    .onConflict((oc) => oc.column('merchant_id').doNothing())
    .execute();
  const terminalId = options.terminalId ?? `T-${randomBytes(3).toString('hex')}`;
  const key = options.key ?? generateSigningKey();
  const suspended = options.status === 'suspended';
  await db
    .insertInto('terminals')
    .values({
      terminal_id: terminalId,
      merchant_id: merchantId,
      public_key: key.publicKey,
      status: options.status ?? 'active',
      params: JSON.stringify({ limitPerPayment: 5_000 }),
      enrolled_at: 1_700_000_000,
      suspended_at: suspended ? 1_700_000_100 : null,
    })
    .execute();
  return { terminalId, merchantId, key };
}
