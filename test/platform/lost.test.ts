import { describe, expect, it } from 'vitest';
import { Hotlist, Notification } from '../../protocol';
import { revokeWallet } from '../../platform/lost/surface';
import { MAX_DELTA_SPAN } from '../../platform/lost/hotlist';
import { backends, useTestDatabases } from './support/databases';
import { insertTerminal, insertWallet } from './support/fixtures';
import { testPlatform } from './support/platform';
import { errorOf } from './support/requests';
import { callers } from './support/units';

describe.each(backends())('lost phones and the hotlist on %s', (backend) => {
  const databases = useTestDatabases(backend);

  async function setup() {
    const platform = await testPlatform(await databases.fresh());
    const as = await callers(platform);
    const terminal = await insertTerminal(platform.db);
    const hotlist = async (url = '/v1/hotlist') => {
      const response = await platform.app.inject(as.terminal(terminal, 'GET', url));
      expect(response.statusCode).toBe(200);
      const signed = Hotlist.decode(response.rawPayload);
      const issuer = await platform.keys.publicKeyFor(signed.value.issuerKeyId);
      if (issuer === undefined) throw new Error('unknown issuer key');
      Hotlist.verify(signed, issuer);
      expect(response.headers['x-tapsafe-hotlist-version']).toBe(
        String(signed.value.hotlistVersion),
      );
      return signed.value;
    };
    const report = (body: unknown) =>
      platform.app.inject(as.operator('POST', '/v1/lost-reports', body));
    return { ...platform, as, terminal, hotlist, report };
  }

  const count = async (
    db: Awaited<ReturnType<typeof setup>>['db'],
    table: 'hotlist_entries' | 'notifications',
  ) =>
    (
      await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n;

  it('revokes by wallet id, hotlists it and queues lock then wipe with increasing sequences', async () => {
    const { app, db, clock, keys, report } = await setup();
    const wallet = await insertWallet(db);
    const response = await report({ walletId: wallet.walletIdHex });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      walletId: wallet.walletIdHex,
      accountId: wallet.accountId,
      reason: 'lost',
      hotlistVersion: 1,
      notices: [
        { type: 'lock', sequence: 1 },
        { type: 'wipe', sequence: 2 },
      ],
    });
    const row = await db
      .selectFrom('wallets')
      .selectAll()
      .where('wallet_id', '=', wallet.walletId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      status: 'revoked',
      revoke_reason: 'lost',
      revoked_at: clock.now(),
    });
    const notices = await db
      .selectFrom('notifications')
      .selectAll()
      .where('wallet_id', '=', wallet.walletId)
      .orderBy('sequence')
      .execute();
    const issuer = await keys.activeIssuer();
    for (const n of notices) Notification.verify(Notification.decode(n.envelope), issuer.publicKey);
    expect(notices.map((n) => [n.type, n.sequence])).toEqual([
      ['lock', 1],
      ['wipe', 2],
    ]);
    const auditRow = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'wallet.report_lost')
      .executeTakeFirstOrThrow();
    expect(auditRow.subject).toBe(`wallet:${wallet.walletIdHex}`);
    expect(JSON.stringify(auditRow.detail)).not.toContain('490154203237518');
    await app.close();
  });

  it('revokes the live wallet of an account, and refuses a second report without changes', async () => {
    const { app, db, report } = await setup();
    const wallet = await insertWallet(db, { accountId: 'alice' });
    expect((await report({ accountId: 'alice', reason: 'stolen' })).json()).toMatchObject({
      walletId: wallet.walletIdHex,
      reason: 'stolen',
    });
    const before = [await count(db, 'hotlist_entries'), await count(db, 'notifications')];
    const again = await report({ walletId: wallet.walletIdHex });
    expect([again.statusCode, errorOf(again).code]).toEqual([409, 'wallet_already_revoked']);
    const byAccount = await report({ accountId: 'alice' });
    expect([byAccount.statusCode, errorOf(byAccount).code]).toEqual([404, 'no_live_wallet']);
    const unknown = await report({ walletId: '00'.repeat(16) });
    expect([unknown.statusCode, errorOf(unknown).code]).toEqual([404, 'unknown_wallet']);
    for (const bad of [
      {},
      { walletId: wallet.walletIdHex, accountId: 'alice' },
      { walletId: 'XY' },
    ]) {
      const refused = await report(bad);
      expect([refused.statusCode, errorOf(refused).code]).toEqual([400, 'invalid_request']);
    }
    expect([await count(db, 'hotlist_entries'), await count(db, 'notifications')]).toEqual(before);
    await app.close();
  });

  it('serves signed full and delta hotlists with increasing versions and the latest notices', async () => {
    const { app, db, clock, hotlist, report } = await setup();
    const empty = await hotlist();
    expect(empty).toMatchObject({ hotlistVersion: 0, kind: 'full', baseVersion: 0, entries: [] });
    const wallets = [await insertWallet(db), await insertWallet(db), await insertWallet(db)];
    for (const w of wallets) {
      clock.advance(10);
      expect((await report({ walletId: w.walletIdHex })).statusCode).toBe(200);
    }
    const full = await hotlist();
    expect(full).toMatchObject({ hotlistVersion: 3, kind: 'full', baseVersion: 0 });
    expect(full.entries.map((e) => Buffer.from(e.walletId).toString('hex'))).toEqual(
      wallets.map((w) => w.walletIdHex),
    );
    expect(
      full.notices.map((n) => [
        Buffer.from(n.value.walletId).toString('hex'),
        n.value.notificationType,
      ]),
    ).toEqual(wallets.map((w) => [w.walletIdHex, 'wipe']));
    const delta = await hotlist('/v1/hotlist/delta?since=1');
    expect(delta).toMatchObject({ hotlistVersion: 3, kind: 'delta', baseVersion: 1 });
    expect(delta.entries.map((e) => Buffer.from(e.walletId).toString('hex'))).toEqual(
      wallets.slice(1).map((w) => w.walletIdHex),
    );
    expect(delta.notices).toHaveLength(2);
    expect(await hotlist('/v1/hotlist/delta?since=3')).toMatchObject({
      kind: 'delta',
      entries: [],
    });
    for (const since of [0, 4, 99]) {
      expect(await hotlist(`/v1/hotlist/delta?since=${since}`)).toMatchObject({
        kind: 'full',
        baseVersion: 0,
        hotlistVersion: 3,
      });
    }
    expect(MAX_DELTA_SPAN).toBeGreaterThan(0);
    await app.close();
  });

  it('caches a signed version for 30 s or until the next revocation, then signs anew', async () => {
    const { app, db, clock, hotlist, report } = await setup();
    await report({ walletId: (await insertWallet(db)).walletIdHex });
    const first = await hotlist();
    clock.advance(30);
    expect((await hotlist()).issuedAt).toBe(first.issuedAt);
    await report({ walletId: (await insertWallet(db)).walletIdHex });
    const second = await hotlist();
    expect(second.hotlistVersion).toBe(2);
    expect(second.issuedAt).toBe(first.issuedAt + 30);
    // No revocation for a day: the same version, signed again (a terminal judges age by issuedAt).
    clock.advance(86_400);
    const later = await hotlist();
    expect(later.hotlistVersion).toBe(2);
    expect(later.issuedAt).toBe(second.issuedAt + 86_400);
    await app.close();
  });

  it('revokeWallet serves other reasons once: a double-spend disables, a repeat changes nothing', async () => {
    const { app, db, clock, keys } = await setup();
    const wallet = await insertWallet(db);
    const first = await db
      .transaction()
      .execute((trx) =>
        revokeWallet(trx, { keys, clock }, { walletId: wallet.walletId, reason: 'double_spend' }),
      );
    expect(first).toMatchObject({
      revoked: true,
      status: 'revoked',
      hotlistVersion: 1,
      notices: [{ type: 'disable', sequence: 1 }],
    });
    const second = await db
      .transaction()
      .execute((trx) =>
        revokeWallet(trx, { keys, clock }, { walletId: wallet.walletId, reason: 'lost' }),
      );
    expect(second).toMatchObject({
      revoked: false,
      reason: 'double_spend',
      hotlistVersion: 1,
      notices: [],
    });
    await app.close();
  });

  it('gives concurrent revocations distinct, gap-free versions', async () => {
    const { app, db, report, hotlist } = await setup();
    const wallets = await Promise.all(Array.from({ length: 6 }, () => insertWallet(db)));
    const results = await Promise.all(wallets.map((w) => report({ walletId: w.walletIdHex })));
    const versions = results.map((r) => r.json<{ hotlistVersion: number }>().hotlistVersion);
    expect([...versions].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    expect((await hotlist()).entries).toHaveLength(6);
    await app.close();
  });

  it('refuses the hotlist to a suspended terminal', async () => {
    const { app, db, as } = await setup();
    const suspended = await insertTerminal(db, { status: 'suspended' });
    const response = await app.inject(as.terminal(suspended, 'GET', '/v1/hotlist'));
    expect([response.statusCode, errorOf(response).code]).toEqual([403, 'terminal_suspended']);
    await app.close();
  });
});
