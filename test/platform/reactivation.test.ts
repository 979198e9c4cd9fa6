/**
 * Re-activation in one step (S6): a new phone gets its wallet and the lost wallet's e-cash
 * minus the risk hold in one transaction — or, refused, nothing changes at all.
 */
import { describe, expect, it } from 'vitest';
import {
  bindingDigest,
  FreshnessToken,
  generateSigningKey,
  Notification,
  WalletCertificate,
} from '../../protocol';
import { balanceOf, ledgerAccount } from '../../platform/ledger/post';
import { HOLD_WINDOW_SECONDS, releaseDueHolds } from '../../platform/migration/surface';
import { SYSTEM_ACTOR } from '../../platform/audit';
import { backends, useTestDatabases } from './support/databases';
import { testPlatform } from './support/platform';
import { errorOf } from './support/requests';
import { callers } from './support/units';
import { activateWallet, IMSI, PASSWORD, registerUser } from './support/wallet-users';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const NEW_IMEI = '353918057348412';
const HOLD = 20_000; // the default policy's cumulative offline limit

interface Reactivated {
  walletId: string;
  certificate: string;
  bindingSalt: string;
  balance: number;
  freshness: string;
  notificationSequence: number;
  migration: { oldWalletId: string; moved: number; held: number; holdUntil: number };
}

describe.each(backends())('re-activation on %s', (backend) => {
  const databases = useTestDatabases(backend);

  /** Alice activated a phone holding `balance`; it was reported lost unless `report` is false. */
  async function setup(balance = 50_000, report = true) {
    const platform = await testPlatform(await databases.fresh());
    const call = await callers(platform);
    await registerUser(platform, call, 'alice', balance);
    const old = await activateWallet(platform, call, 'alice');
    if (report) {
      const lost = await platform.app.inject(
        call.operator('POST', '/v1/lost-reports', { walletId: old.walletIdHex }),
      );
      expect(lost.statusCode).toBe(200);
    }
    const key = generateSigningKey();
    const reactivate = (change: Record<string, unknown> = {}, ip = '10.0.0.5') =>
      platform.app.inject({
        ...call.anonymous('POST', '/v1/reactivations', {
          imei: NEW_IMEI,
          imsi: IMSI,
          walletPublicKey: hex(key.publicKey),
          registration: { accountId: 'alice', password: PASSWORD },
          ...change,
        }),
        remoteAddress: ip,
      });
    const { db } = platform;
    const walletCount = async () =>
      (await db.selectFrom('wallets').select('wallet_id').execute()).length;
    const notices = async (walletIdHex: string) =>
      (
        await db
          .selectFrom('notifications')
          .select('envelope')
          .where('wallet_id', '=', Buffer.from(walletIdHex, 'hex'))
          .orderBy('sequence')
          .execute()
      ).map((r) => Notification.decode(r.envelope).value.notificationType);
    return { ...platform, call, old, key, reactivate, walletCount, notices };
  }

  it('issues the new wallet with the e-cash moved minus the hold, in one step', async () => {
    const { app, db, keys, clock, old, key, reactivate, notices } = await setup();
    const response = await reactivate();
    expect(response.statusCode).toBe(201);
    const body = response.json<Reactivated>();
    expect(body).toMatchObject({
      balance: 30_000,
      notificationSequence: 0,
      migration: {
        oldWalletId: old.walletIdHex,
        moved: 30_000,
        held: HOLD,
        holdUntil: clock.now() + HOLD_WINDOW_SECONDS,
      },
    });
    const [issuer] = await keys.verifyingKeys();
    const issuerKey = issuer?.publicKey as Uint8Array;
    const certificate = WalletCertificate.open(Buffer.from(body.certificate, 'hex'), issuerKey);
    expect(hex(certificate.value.walletId)).toBe(body.walletId);
    expect(certificate.value.walletPublicKey).toEqual(key.publicKey);
    expect(certificate.value.bindingDigest).toEqual(
      bindingDigest(NEW_IMEI, IMSI, Buffer.from(body.bindingSalt, 'hex')),
    );
    const token = FreshnessToken.open(Buffer.from(body.freshness, 'hex'), issuerKey);
    expect(token.value).toMatchObject({ balance: 30_000, counter: 0 });

    expect(await balanceOf(db, ledgerAccount('wallet', body.walletId))).toBe(30_000);
    expect(await balanceOf(db, ledgerAccount('wallet', old.walletIdHex))).toBe(0);
    expect(await balanceOf(db, ledgerAccount('hold', old.walletIdHex))).toBe(HOLD);
    // The old phone erases itself when it hears; the new one has nothing to add twice.
    expect(await notices(old.walletIdHex)).toEqual(['lock', 'wipe', 'migrate_out']);
    expect(await notices(body.walletId)).toEqual([]);
    const rows = await db
      .selectFrom('wallets')
      .select(['wallet_id', 'status'])
      .orderBy('status')
      .execute();
    expect(rows.map((r) => [hex(r.wallet_id), r.status])).toEqual([
      [body.walletId, 'active'],
      [old.walletIdHex, 'revoked'],
    ]);
    const audited = await db
      .selectFrom('audit_log')
      .select(['outcome', 'detail'])
      .where('action', '=', 'wallet.reactivate')
      .execute();
    expect(audited).toEqual([expect.objectContaining({ outcome: 'ok' })]);
    expect(JSON.stringify(audited)).not.toContain(PASSWORD);

    // The hold goes to the new wallet once its window has closed.
    clock.advance(HOLD_WINDOW_SECONDS);
    const due = await releaseDueHolds(app.platform, { actor: SYSTEM_ACTOR });
    expect(due.released).toMatchObject([{ newWalletId: body.walletId, released: HOLD }]);
    expect(await notices(body.walletId)).toEqual(['balance_update']);
    expect(await balanceOf(db, ledgerAccount('wallet', body.walletId))).toBe(50_000);
    await app.close();
  });

  it('a plain activation after a lost report is refused: re-activate instead', async () => {
    const { app, call, walletCount } = await setup();
    const plain = await app.inject(
      call.anonymous('POST', '/v1/activations', {
        imei: NEW_IMEI,
        imsi: IMSI,
        walletPublicKey: hex(generateSigningKey().publicKey),
        registration: { accountId: 'alice', password: PASSWORD },
      }),
    );
    expect([plain.statusCode, errorOf(plain).code]).toEqual([409, 'reactivate_instead']);
    expect(await walletCount()).toBe(1);
    await app.close();
  });

  it('refuses while the old wallet is live, and a second re-activation', async () => {
    const live = await setup(50_000, false);
    const refused = await live.reactivate();
    expect([refused.statusCode, errorOf(refused).code]).toEqual([409, 'wallet_not_reported_lost']);
    expect(await live.walletCount()).toBe(1);
    expect(await balanceOf(live.db, ledgerAccount('wallet', live.old.walletIdHex))).toBe(50_000);
    await live.app.close();

    const { app, reactivate, walletCount } = await setup();
    expect((await reactivate()).statusCode).toBe(201);
    const again = await reactivate({
      walletPublicKey: hex(generateSigningKey().publicKey),
    });
    expect([again.statusCode, errorOf(again).code]).toEqual([409, 'wallet_not_reported_lost']);
    expect(await walletCount()).toBe(2);
    await app.close();
  });

  it('refuses an account without a lost wallet, a key in use, and a double-spend wallet', async () => {
    const platform = await setup();
    const { app, db, call, old, reactivate, walletCount } = platform;
    await registerUser(platform, call, 'bob', 0);
    const none = await reactivate({ registration: { accountId: 'bob', password: PASSWORD } });
    expect([none.statusCode, errorOf(none).code]).toEqual([404, 'no_previous_wallet']);

    const otherAccount = await activateWallet(platform, call, 'bob');
    const foreign = await reactivate({ previousWalletId: otherAccount.walletIdHex });
    expect([foreign.statusCode, errorOf(foreign).code]).toEqual([404, 'no_previous_wallet']);

    const reused = await reactivate({ walletPublicKey: hex(old.key.publicKey) });
    expect([reused.statusCode, errorOf(reused).code]).toEqual([409, 'wallet_key_in_use']);

    await db
      .updateTable('wallets')
      .set({ revoke_reason: 'double_spend' })
      .where('wallet_id', '=', old.walletId)
      .execute();
    const disabled = await reactivate();
    expect([disabled.statusCode, errorOf(disabled).code]).toEqual([
      409,
      'previous_wallet_disabled',
    ]);
    expect(await walletCount()).toBe(2);
    expect(await balanceOf(db, ledgerAccount('wallet', old.walletIdHex))).toBe(50_000);
    const denied = await db
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'wallet.reactivate')
      .where('outcome', '=', 'denied')
      .execute();
    expect(denied.map((d) => (d.detail as { reason: string }).reason)).toEqual([
      'no_previous_wallet',
      'no_previous_wallet',
      'wallet_key_in_use',
      'previous_wallet_disabled',
    ]);
    await app.close();
  });

  it('refuses wrong details (403) and shares the rate limit with activation (429)', async () => {
    const { app, db, call, old, reactivate, walletCount } = await setup();
    const wrong = { registration: { accountId: 'alice', password: 'not the password' } };
    for (let i = 0; i < 3; i += 1) {
      const refused = await reactivate(wrong);
      expect([refused.statusCode, errorOf(refused).code]).toEqual([403, 'registration_mismatch']);
    }
    for (let i = 0; i < 2; i += 1) {
      const refused = await app.inject(
        call.anonymous('POST', '/v1/activations', {
          imei: NEW_IMEI,
          imsi: IMSI,
          walletPublicKey: hex(generateSigningKey().publicKey),
          ...wrong,
        }),
      );
      expect(refused.statusCode).toBe(403);
    }
    const limited = await reactivate({}, '10.0.0.9'); // the account is over, from any address
    expect([limited.statusCode, errorOf(limited).code]).toEqual([429, 'rate_limited']);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(await walletCount()).toBe(1);
    expect(await balanceOf(db, ledgerAccount('wallet', old.walletIdHex))).toBe(50_000);
    await app.close();
  });

  it('two re-activations at once: one wallet, one migration', async () => {
    const { app, db, reactivate, walletCount } = await setup();
    const [first, second] = await Promise.all([
      reactivate(),
      reactivate({ walletPublicKey: hex(generateSigningKey().publicKey) }, '10.0.0.6'),
    ]);
    expect([first?.statusCode, second?.statusCode].sort()).toEqual([201, 409]);
    expect(await walletCount()).toBe(2);
    const migrations = await db.selectFrom('wallet_migrations').selectAll().execute();
    expect(migrations).toHaveLength(1);
    await app.close();
  });
});
