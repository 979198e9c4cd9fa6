/** Activation (S1): checks, binding, certificate, token, e-cash moved — or nothing at all. */
import { describe, expect, it } from 'vitest';
import {
  bindingDigest,
  FreshnessToken,
  generateSigningKey,
  WalletCertificate,
} from '../../protocol';
import { DEFAULT_WALLET_POLICY } from '../../platform/activation/surface';
import { balanceOf } from '../../platform/ledger/post';
import { backends, useTestDatabases } from './support/databases';
import { testPlatform } from './support/platform';
import { errorOf } from './support/requests';
import { callers } from './support/units';
import { activateWallet, IMEI, IMSI, PASSWORD, registerUser } from './support/wallet-users';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe.each(backends())('activation on %s', (backend) => {
  const databases = useTestDatabases(backend);

  async function setup() {
    const platform = await testPlatform(await databases.fresh());
    return { platform, call: await callers(platform) };
  }

  const body = (accountId: string, extra: Record<string, unknown> = {}) => ({
    imei: IMEI,
    imsi: IMSI,
    walletPublicKey: hex(generateSigningKey().publicKey),
    registration: { accountId, password: PASSWORD },
    ...extra,
  });

  async function nothingChanged(
    platform: Awaited<ReturnType<typeof setup>>['platform'],
    accountId: string,
    balance: number,
  ) {
    expect(await platform.db.selectFrom('wallets').select('wallet_id').execute()).toEqual([]);
    expect(await balanceOf(platform.db, `user:${accountId}`)).toBe(balance);
  }

  it('issues a certificate bound to IMEI + IMSI, a token, and moves the whole balance', async () => {
    const { platform, call } = await setup();
    await registerUser(platform, call, 'alice', 8_000);
    const wallet = await activateWallet(platform, call, 'alice');
    const grant = wallet.grant;
    const [issuer] = await platform.keys.verifyingKeys();
    expect(grant.issuerKeys).toEqual([hex(issuer?.publicKey as Uint8Array)]);
    const certificate = WalletCertificate.open(
      Buffer.from(grant.certificate, 'hex'),
      issuer?.publicKey as Uint8Array,
    );
    // Terminals read the certificate: it names no account, only the wallet's pseudonym.
    expect(certificate.value).not.toHaveProperty('accountId');
    expect(Buffer.from(certificate.encoded).includes(Buffer.from('alice'))).toBe(false);
    expect(certificate.value).toMatchObject({
      walletPublicKey: wallet.key.publicKey,
      limitPerPayment: DEFAULT_WALLET_POLICY.limitPerPayment,
      currency: DEFAULT_WALLET_POLICY.currency,
    });
    expect(hex(certificate.value.walletId)).toBe(wallet.walletIdHex);
    expect(certificate.value.bindingDigest).toEqual(
      bindingDigest(IMEI, IMSI, Buffer.from(grant.bindingSalt, 'hex')),
    );
    const token = FreshnessToken.open(
      Buffer.from(grant.freshness, 'hex'),
      issuer?.publicKey as Uint8Array,
    );
    expect(token.value).toMatchObject({
      balance: 8_000,
      counter: 0,
      syncTime: platform.clock.now(),
    });
    expect(wallet.grant).toMatchObject({
      balance: 8_000,
      notificationSequence: 0,
      params: {
        T: DEFAULT_WALLET_POLICY.T,
        T1: DEFAULT_WALLET_POLICY.T1,
        T2: DEFAULT_WALLET_POLICY.T2,
      },
    });
    expect(await balanceOf(platform.db, 'user:alice')).toBe(0);
    expect(await balanceOf(platform.db, `wallet:${wallet.walletIdHex}`)).toBe(8_000);
    const row = await platform.db.selectFrom('wallets').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ imei: IMEI, imsi: IMSI, status: 'active', account_id: 'alice' });
    const audit = await platform.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'wallet.activate')
      .execute();
    expect(audit).toEqual([expect.objectContaining({ outcome: 'ok', actor_kind: 'anonymous' })]);
  });

  it('loads the amount asked for, and refuses more than the account holds (409)', async () => {
    const { platform, call } = await setup();
    await registerUser(platform, call, 'bob', 1_000);
    const tooMuch = await platform.app.inject(
      call.anonymous('POST', '/v1/activations', body('bob', { amount: 1_001 })),
    );
    expect(tooMuch.statusCode).toBe(409);
    expect(errorOf(tooMuch).code).toBe('insufficient_funds');
    await nothingChanged(platform, 'bob', 1_000);
    const wallet = await activateWallet(platform, call, 'bob', { amount: 400 });
    expect(wallet.grant.balance).toBe(400);
    expect(await balanceOf(platform.db, 'user:bob')).toBe(600);
  });

  it('refuses a second live wallet for the account with 409 wallet_exists', async () => {
    const { platform, call } = await setup();
    await registerUser(platform, call, 'carol', 1_000);
    await activateWallet(platform, call, 'carol');
    const second = await platform.app.inject(
      call.anonymous('POST', '/v1/activations', body('carol')),
    );
    expect(second.statusCode).toBe(409);
    expect(errorOf(second).code).toBe('wallet_exists');
    expect(await platform.db.selectFrom('wallets').select('wallet_id').execute()).toHaveLength(1);
    // The refusal is audited against the account, after the issuing transaction rolled back.
    const audited = await platform.db
      .selectFrom('audit_log')
      .select(['outcome', 'subject', 'detail'])
      .where('action', '=', 'wallet.activate')
      .orderBy('id')
      .execute();
    expect(audited.map((a) => a.outcome)).toEqual(['ok', 'denied']);
    expect(audited[1]).toMatchObject({
      subject: 'account:carol',
      detail: { reason: 'wallet_exists' },
    });
  });

  it('refuses wrong details with one code, an ID number on file is required, and nothing changes', async () => {
    const { platform, call } = await setup();
    await registerUser(platform, call, 'dave', 500, { idNumber: 'ID-77' });
    for (const registration of [
      { accountId: 'dave', password: 'wrong password' },
      { accountId: 'nobody', password: PASSWORD },
      { accountId: 'dave', password: PASSWORD },
      { accountId: 'dave', password: PASSWORD, idNumber: 'ID-78' },
    ]) {
      const response = await platform.app.inject(
        call.anonymous('POST', '/v1/activations', { ...body('dave'), registration }),
      );
      expect(response.statusCode).toBe(403);
      expect(errorOf(response).code).toBe('registration_mismatch');
    }
    await nothingChanged(platform, 'dave', 500);
    const denied = await platform.db
      .selectFrom('audit_log')
      .select(['outcome', 'detail'])
      .where('action', '=', 'wallet.activate')
      .execute();
    expect(denied.map((d) => (d.detail as { reason: string }).reason)).toEqual([
      'wrong_password',
      'unknown_account',
      'id_number_required',
      'wrong_id_number',
    ]);
    expect(JSON.stringify(denied)).not.toContain('ID-7');
    await activateWallet(platform, call, 'dave', { idNumber: 'ID-77' });
  });

  it('rate-limits failed attempts per account and per address (429 with Retry-After)', async () => {
    const { platform, call } = await setup();
    await registerUser(platform, call, 'erin', 500);
    const wrong = { ...body('erin'), registration: { accountId: 'erin', password: 'nope nope' } };
    for (let i = 0; i < 5; i++) {
      expect(
        (await platform.app.inject(call.anonymous('POST', '/v1/activations', wrong))).statusCode,
      ).toBe(403);
    }
    const limited = await platform.app.inject(
      call.anonymous('POST', '/v1/activations', body('erin')),
    );
    expect(limited.statusCode).toBe(429);
    expect(errorOf(limited).code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    await nothingChanged(platform, 'erin', 500);
    platform.clock.advance(901);
    await activateWallet(platform, call, 'erin');
  });

  it('refuses malformed requests with 400 and a field', async () => {
    const { platform, call } = await setup();
    await registerUser(platform, call, 'fay', 500);
    const cases: [Record<string, unknown>, string][] = [
      [{ imei: '123' }, 'imei'],
      [{ imsi: 'abc' }, 'imsi'],
      [{ walletPublicKey: '04' + '00'.repeat(32) }, 'walletPublicKey'],
      [{ amount: -5 }, 'amount'],
    ];
    for (const [change, field] of cases) {
      const response = await platform.app.inject(
        call.anonymous('POST', '/v1/activations', body('fay', change)),
      );
      expect(response.statusCode).toBe(400);
      expect(errorOf(response).field).toBe(field);
    }
    // Well-formed hex that is not a point on the curve.
    const offCurve = await platform.app.inject(
      call.anonymous(
        'POST',
        '/v1/activations',
        body('fay', { walletPublicKey: '02' + 'ff'.repeat(32) }),
      ),
    );
    expect(offCurve.statusCode).toBe(400);
    await nothingChanged(platform, 'fay', 500);
  });
});
