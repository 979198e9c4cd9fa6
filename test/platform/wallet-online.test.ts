/** Sync, unlock (S7-S9) and top-up routes: good paths, typed refusals, authorization. */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { FreshnessToken, Notification } from '../../protocol';
import { balanceOf } from '../../platform/ledger/post';
import { backends, useTestDatabases } from './support/databases';
import { insertTerminal, insertWallet } from './support/fixtures';
import { testPlatform } from './support/platform';
import { errorOf } from './support/requests';
import { callers } from './support/units';
import { activateWallet, IMEI, IMSI, PASSWORD, registerUser } from './support/wallet-users';

describe.each(backends())('sync, unlock and top-up on %s', (backend) => {
  const databases = useTestDatabases(backend);

  async function setup(balance = 5_000) {
    const platform = await testPlatform(await databases.fresh());
    const call = await callers(platform);
    // Fixture wallets (insertWallet) count serials from 1 on their own: keep clear of them.
    await sql`select setval('certificate_serials', 1000000)`.execute(platform.db);
    await registerUser(platform, call, 'alice', balance);
    const wallet = await activateWallet(platform, call, 'alice', { amount: 1_000 });
    return { platform, call, wallet };
  }
  const unlockBody = (password = PASSWORD, imei = IMEI) => ({
    imei,
    imsi: IMSI,
    registration: { accountId: 'alice', password },
  });
  const decode = (notices: string[]) =>
    notices.map((n) => Notification.decode(Buffer.from(n, 'hex')).value);

  it('sync: a fresh token with the ledger balance and the settled counter, and pending notices', async () => {
    const { platform, call, wallet } = await setup();
    const url = `/v1/wallets/${wallet.walletIdHex}/sync`;
    const topUp = await platform.app.inject(
      call.operator('POST', `/v1/wallets/${wallet.walletIdHex}/top-up`, { amount: 300 }),
    );
    expect(topUp.json()).toMatchObject({ balance: 1_300, accountBalance: 3_700, sequence: 1 });
    platform.clock.advance(60);
    const synced = await platform.app.inject(
      call.wallet(wallet, 'POST', url, { lastSequence: 0, counter: 3, balance: 900 }),
    );
    expect(synced.statusCode).toBe(200);
    const answer = synced.json<{ freshness: string; notifications: string[]; balance: number }>();
    const [issuer] = await platform.keys.verifyingKeys();
    const token = FreshnessToken.open(
      Buffer.from(answer.freshness, 'hex'),
      issuer?.publicKey as Uint8Array,
    );
    // Nothing settled yet: counter 0 (never the phone's claim), so the phone keeps counting
    // its unsettled payments against its offline limits.
    expect(token.value).toMatchObject({
      balance: 1_300,
      counter: 0,
      syncTime: platform.clock.now(),
    });
    expect(decode(answer.notifications)).toEqual([
      expect.objectContaining({
        notificationType: 'top_up',
        amount: 300,
        balance: 1_300,
        sequence: 1,
      }),
    ]);
    // Applied up to 1: nothing more to send, and the notice counts as acknowledged.
    const again = await platform.app.inject(call.wallet(wallet, 'POST', url, { lastSequence: 1 }));
    expect(again.json()).toMatchObject({ notifications: [] });
    expect(again.json()).not.toHaveProperty('freshness');
    const row = await platform.db
      .selectFrom('notifications')
      .select('acknowledged_at')
      .executeTakeFirstOrThrow();
    expect(row.acknowledged_at).toBe(platform.clock.now());
    // Another identity gets no token.
    const other = await platform.app.inject(
      call.wallet(wallet, 'POST', url, { lastSequence: 1, counter: 3, imei: '356938035643809' }),
    );
    expect(other.json()).not.toHaveProperty('freshness');
  });

  it('sync: the token counter is the highest settled one, never above what the phone reports', async () => {
    const { platform, call, wallet } = await setup();
    const terminal = await insertTerminal(platform.db);
    const batchId = Buffer.alloc(16, 1);
    const hash = Buffer.alloc(32, 2);
    await sql`insert into settlement_batches values (${batchId}, ${terminal.terminalId},
      ${terminal.merchantId}, ${hash}, ${Buffer.of(1)}, 'settled', 1, 10, 1, 1, ${Buffer.of(1)})`.execute(
      platform.db,
    );
    await sql`insert into settlement_payments values (${wallet.walletId}, 2, ${hash}, ${batchId},
      10, ${terminal.merchantId}, ${terminal.terminalId}, 1, 'accepted')`.execute(platform.db);
    const url = `/v1/wallets/${wallet.walletIdHex}/sync`;
    const [issuer] = await platform.keys.verifyingKeys();
    for (const [reported, certified] of [
      [5, 2],
      [1, 1],
    ]) {
      const response = await platform.app.inject(
        call.wallet(wallet, 'POST', url, { lastSequence: 0, counter: reported }),
      );
      const { freshness } = response.json<{ freshness: string }>();
      const token = FreshnessToken.open(
        Buffer.from(freshness, 'hex'),
        issuer?.publicKey as Uint8Array,
      );
      expect(token.value.counter).toBe(certified);
    }
  });

  it('sync is for the wallet itself: 401 anonymous, 403 operator / terminal / another wallet', async () => {
    const { platform, call, wallet } = await setup();
    const other = await insertWallet(platform.db);
    const terminal = await insertTerminal(platform.db);
    for (const path of ['sync', 'unlock', 'notifications/ack']) {
      const url = `/v1/wallets/${wallet.walletIdHex}/${path}`;
      const body = path === 'unlock' ? unlockBody() : { lastSequence: 0, sequence: 0 };
      expect((await platform.app.inject(call.anonymous('POST', url, body))).statusCode).toBe(401);
      for (const [request, code] of [
        [call.operator('POST', url, body), 'role_not_allowed'],
        [call.terminal(terminal, 'POST', url, body), 'role_not_allowed'],
        [call.wallet(other, 'POST', url, body), 'not_your_resource'],
      ] as const) {
        const response = await platform.app.inject(request);
        expect(response.statusCode).toBe(403);
        expect(errorOf(response).code).toBe(code);
      }
    }
    const topUp = `/v1/wallets/${wallet.walletIdHex}/top-up`;
    expect(
      (await platform.app.inject(call.anonymous('POST', topUp, { amount: 1 }))).statusCode,
    ).toBe(401);
    const byOther = await platform.app.inject(call.wallet(other, 'POST', topUp, { amount: 1 }));
    expect(errorOf(byOther).code).toBe('not_your_resource');
    const byTerminal = await platform.app.inject(
      call.terminal(terminal, 'POST', topUp, { amount: 1 }),
    );
    expect(errorOf(byTerminal).code).toBe('role_not_allowed');
    expect(await balanceOf(platform.db, `wallet:${wallet.walletIdHex}`)).toBe(1_000);
  });

  it('a revoked wallet still gets its notices but no token', async () => {
    const { platform, call } = await setup();
    const revoked = await insertWallet(platform.db, { status: 'revoked' });
    const response = await platform.app.inject(
      call.wallet(revoked, 'POST', `/v1/wallets/${revoked.walletIdHex}/sync`, {
        lastSequence: 0,
        counter: 0,
      }),
    );
    expect(response.statusCode).toBe(200);
    const announcements = await platform.keys.announcements();
    expect(response.json()).toEqual({
      notifications: [],
      issuerKeys: announcements.map((a) => Buffer.from(a).toString('hex')),
      balance: 0,
      syncTime: platform.clock.now(),
    });
  });

  it('unlock: re-checks details, queues a signed unlock notice, audits', async () => {
    const { platform, call, wallet } = await setup();
    const url = `/v1/wallets/${wallet.walletIdHex}/unlock`;
    const response = await platform.app.inject(call.wallet(wallet, 'POST', url, unlockBody()));
    expect(response.statusCode).toBe(200);
    const answer = response.json<{ notifications: string[] }>();
    expect(decode(answer.notifications)).toEqual([
      expect.objectContaining({ notificationType: 'unlock', sequence: 1, balance: 1_000 }),
    ]);
    const audit = await platform.db
      .selectFrom('audit_log')
      .select(['outcome'])
      .where('action', '=', 'wallet.unlock')
      .execute();
    expect(audit).toEqual([{ outcome: 'ok' }]);
  });

  it('unlock refusals: 403 registration_mismatch / binding_mismatch, nothing queued, then 429', async () => {
    const { platform, call, wallet } = await setup();
    await registerUser(platform, call, 'mallory', 0);
    const url = `/v1/wallets/${wallet.walletIdHex}/unlock`;
    const refusals = [
      [unlockBody('not-the-password-1'), 'registration_mismatch'],
      [
        { ...unlockBody(), registration: { accountId: 'mallory', password: PASSWORD } },
        'registration_mismatch',
      ],
      [unlockBody(PASSWORD, '356938035643809'), 'binding_mismatch'],
      [{ ...unlockBody(), imsi: '310150987654321' }, 'binding_mismatch'],
      [unlockBody('not-the-password-2'), 'registration_mismatch'],
    ] as const;
    for (const [body, code] of refusals) {
      const response = await platform.app.inject(call.wallet(wallet, 'POST', url, body));
      expect(response.statusCode).toBe(403);
      expect(errorOf(response).code).toBe(code);
    }
    const limited = await platform.app.inject(call.wallet(wallet, 'POST', url, unlockBody()));
    expect(limited.statusCode).toBe(429);
    expect(errorOf(limited).code).toBe('rate_limited');
    expect(await platform.db.selectFrom('notifications').selectAll().execute()).toEqual([]);
    const audit = await platform.db
      .selectFrom('audit_log')
      .select(['outcome', 'detail'])
      .where('action', '=', 'wallet.unlock')
      .execute();
    expect(audit.map((a) => a.outcome)).toEqual(Array(5).fill('denied'));
    expect(JSON.stringify(audit)).not.toContain('not-the-password');
  });

  it('top-up: operator or wallet; 409 insufficient_funds / wallet_not_active; replays post once', async () => {
    const { platform, call, wallet } = await setup();
    const url = `/v1/wallets/${wallet.walletIdHex}/top-up`;
    const own = await platform.app.inject(
      call.wallet(wallet, 'POST', url, { amount: 500, requestId: 'abcdefgh' }),
    );
    expect(own.json()).toMatchObject({ balance: 1_500, accountBalance: 3_500, sequence: 1 });
    const replay = await platform.app.inject(
      call.wallet(wallet, 'POST', url, { amount: 500, requestId: 'abcdefgh' }),
    );
    expect(replay.json()).toMatchObject({ balance: 1_500, sequence: null });
    const tooMuch = await platform.app.inject(call.operator('POST', url, { amount: 3_501 }));
    expect(tooMuch.statusCode).toBe(409);
    expect(errorOf(tooMuch).code).toBe('insufficient_funds');
    const zero = await platform.app.inject(call.operator('POST', url, { amount: 0 }));
    expect(zero.statusCode).toBe(400);
    await platform.db.updateTable('wallets').set({ status: 'locked' }).execute();
    const locked = await platform.app.inject(call.operator('POST', url, { amount: 1 }));
    expect(errorOf(locked).code).toBe('wallet_not_active');
    const byLockedWallet = await platform.app.inject(
      call.wallet(wallet, 'POST', url, { amount: 1 }),
    );
    expect(errorOf(byLockedWallet).code).toBe('wallet_locked');
    expect(await balanceOf(platform.db, `wallet:${wallet.walletIdHex}`)).toBe(1_500);
    expect(await platform.db.selectFrom('notifications').select('sequence').execute()).toHaveLength(
      1,
    );
  });
});
