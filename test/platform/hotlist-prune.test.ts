/**
 * Hotlist pruning (lost/prune.ts): a revoked wallet whose certificate has expired (plus the
 * clock allowance) leaves the list under a version of its own; terminals on delta sync get
 * a full list once; a list still too large is a typed 503, audited, not a crash.
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { generateSigningKey, Hotlist, WalletCertificate } from '../../protocol';
import { platformMigrations } from '../../platform/db/migrations';
import { UNITS } from '../../platform/units';
import { certificate as sampleCertificate } from '../protocol/support/samples';
import { platformJobs } from '../../platform/jobs';
import {
  EXPIRY_ALLOWANCE_SECONDS,
  HotlistBuilder,
  pruneHotlist,
  revokeWallet,
} from '../../platform/lost/surface';
import { DEFAULT_WALLET_POLICY } from '../../platform/activation/surface';
import { backends, useTestDatabases } from './support/databases';
import { insertAccount, insertTerminal, insertWallet } from './support/fixtures';
import { T0, testPlatform } from './support/platform';
import { errorOf } from './support/requests';
import { callers } from './support/units';
import { activateWallet, registerUser } from './support/wallet-users';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const DAY = 86_400;
const silent = { info: () => undefined, error: () => undefined };

describe.each(backends())('hotlist pruning on %s', (backend) => {
  const databases = useTestDatabases(backend);

  async function setup() {
    const platform = await testPlatform(await databases.fresh());
    // Fixture wallets number their serials from 1 too: keep real certificates clear of them.
    await sql`select setval('certificate_serials', 1000000)`.execute(platform.db);
    const call = await callers(platform);
    const terminal = await insertTerminal(platform.db);
    const fetchList = async (url: string) => {
      const response = await platform.app.inject(call.terminal(terminal, 'GET', url));
      expect(response.statusCode).toBe(200);
      const { value } = Hotlist.decode(response.rawPayload);
      return { ...value, wallets: value.entries.map((e) => hex(e.walletId)).sort() };
    };
    const report = async (walletIdHex: string) => {
      const response = await platform.app.inject(
        call.operator('POST', '/v1/lost-reports', { walletId: walletIdHex }),
      );
      expect(response.statusCode).toBe(200);
    };
    const prune = () =>
      platform.db.transaction().execute((trx) => pruneHotlist(trx, platform.clock.now()));
    return { ...platform, call, terminal, fetchList, report, prune };
  }

  it('drops entries once certificate validity + allowance has passed; deltas stay consistent', async () => {
    const t = await setup();
    const { app, db, clock, call, fetchList, report, prune } = t;
    await registerUser(t, call, 'ann', 100);
    const ann = await activateWallet(t, call, 'ann'); // valid until T0 + 365 days
    clock.advance(10 * DAY);
    await registerUser(t, call, 'ben', 100);
    const ben = await activateWallet(t, call, 'ben'); // ten days longer
    const odd = await insertWallet(db); // a certificate that does not decode: kept for good
    for (const w of [ann, ben, odd]) await report(w.walletIdHex);
    const stored = await db
      .selectFrom('hotlist_entries')
      .select(['wallet_id', 'certificate_valid_until'])
      .orderBy('version')
      .execute();
    const annUntil = T0 + DEFAULT_WALLET_POLICY.certificateSeconds;
    expect(stored.map((r) => r.certificate_valid_until)).toEqual([
      annUntil,
      annUntil + 10 * DAY,
      null,
    ]);
    expect((await fetchList('/v1/hotlist')).hotlistVersion).toBe(3);

    clock.set(annUntil + EXPIRY_ALLOWANCE_SECONDS); // not yet: a terminal may run behind
    expect(await prune()).toEqual({ pruned: 0, hotlistVersion: 3 });
    clock.advance(1);
    expect(await prune()).toEqual({ pruned: 1, hotlistVersion: 4 });

    const full = await fetchList('/v1/hotlist');
    expect(full).toMatchObject({ hotlistVersion: 4, kind: 'full' });
    expect(full.wallets).toEqual([ben.walletIdHex, odd.walletIdHex].sort());
    // A terminal holding version 3 would keep ann's entry from a delta: it gets a full list.
    const behind = await fetchList('/v1/hotlist/delta?since=3');
    expect(behind).toMatchObject({ hotlistVersion: 4, kind: 'full', baseVersion: 0 });
    expect(behind.wallets).toEqual(full.wallets);
    expect(await fetchList('/v1/hotlist/delta?since=4')).toMatchObject({
      kind: 'delta',
      baseVersion: 4,
      wallets: [],
    });
    const later = await insertWallet(db);
    await report(later.walletIdHex);
    expect(await fetchList('/v1/hotlist/delta?since=4')).toMatchObject({
      kind: 'delta',
      hotlistVersion: 5,
      wallets: [later.walletIdHex],
    });

    // The server's job prunes ben's entry once it expires, and audits it.
    clock.set(annUntil + 10 * DAY + EXPIRY_ALLOWANCE_SECONDS + 1);
    const jobs = platformJobs(app.platform, silent);
    expect(await jobs.hotlistPrune.runOnce()).toEqual({ pruned: 1, hotlistVersion: 6 });
    expect(await jobs.hotlistPrune.runOnce()).toEqual({ pruned: 0, hotlistVersion: 6 });
    expect((await fetchList('/v1/hotlist')).wallets).toEqual(
      [odd.walletIdHex, later.walletIdHex].sort(),
    );
    const audited = await db
      .selectFrom('audit_log')
      .select(['actor_kind', 'detail'])
      .where('action', '=', 'hotlist.prune')
      .execute();
    expect(audited).toEqual([{ actor_kind: 'system', detail: { pruned: 1, hotlistVersion: 6 } }]);
    await app.close();
  });

  it('migration 0410 takes the end of validity of entries listed before it', async () => {
    const before = platformMigrations(UNITS).filter((m) => m.name < '0410');
    const old = await databases.fresh({ migrations: before });
    const signed = await insertWallet(old, { status: 'revoked' });
    const odd = await insertWallet(old, { status: 'revoked' });
    const certificate = WalletCertificate.sign(
      { ...sampleCertificate, walletId: signed.walletId, walletPublicKey: signed.key.publicKey },
      generateSigningKey(),
    );
    await old
      .updateTable('wallets')
      .set({ certificate: certificate.encoded })
      .where('wallet_id', '=', signed.walletId)
      .execute();
    await sql`insert into hotlist_entries (version, wallet_id, reason, revoked_at)
      values (1, ${signed.walletId}, 'lost', 0), (2, ${odd.walletId}, 'lost', 0)`.execute(old);
    const db = await databases.reopen(old);
    const rows = await db
      .selectFrom('hotlist_entries')
      .select('certificate_valid_until')
      .orderBy('version')
      .execute();
    expect(rows.map((r) => r.certificate_valid_until)).toEqual([
      sampleCertificate.validUntil,
      null,
    ]);
  });

  it('two prunes at once remove an entry once and take one version', async () => {
    const t = await setup();
    const { app, db, clock, call, report, prune } = t;
    await registerUser(t, call, 'cy', 100);
    const cy = await activateWallet(t, call, 'cy');
    await report(cy.walletIdHex);
    clock.advance(DEFAULT_WALLET_POLICY.certificateSeconds + EXPIRY_ALLOWANCE_SECONDS + 1);
    const results = await Promise.all([prune(), prune()]);
    expect(results.map((r) => r.pruned).sort()).toEqual([0, 1]);
    const state = await db
      .selectFrom('hotlist_state')
      .select(['version', 'pruned_version'])
      .executeTakeFirstOrThrow();
    expect(state).toEqual({ version: 2, pruned_version: 2 });
    await app.close();
  });

  it('a list beyond the bound: typed 503 and one audit row; deltas are still served', async () => {
    const { app, db, keys, clock, prune } = await setup();
    const wallets = [];
    for (let i = 0; i < 3; i += 1) wallets.push(await insertWallet(db));
    const builder = new HotlistBuilder(db, { keys, clock }, 2);
    for (const w of wallets) {
      await db
        .transaction()
        .execute((trx) =>
          revokeWallet(trx, { keys, clock }, { walletId: w.walletId, reason: 'lost' }),
        );
    }
    for (let i = 0; i < 2; i += 1) {
      await expect(builder.build()).rejects.toMatchObject({
        statusCode: 503,
        code: 'hotlist_too_large',
      });
    }
    expect((await builder.build(2)).value).toMatchObject({ kind: 'delta', hotlistVersion: 3 });
    const audited = await db
      .selectFrom('audit_log')
      .select(['outcome', 'detail'])
      .where('action', '=', 'hotlist.over_limit')
      .execute();
    expect(audited).toEqual([
      { outcome: 'failed', detail: { hotlistVersion: 3, entries: 3, max: 2 } },
    ]);
    expect(await prune()).toMatchObject({ pruned: 0 }); // fixture certificates never expire
    await app.close();
  });

  it('the terminal route answers 503 hotlist_too_large beyond the protocol bound', async () => {
    const { app, db, call, terminal } = await setup();
    const count = 100_001;
    await insertAccount(db, 'bulk');
    await sql`
      insert into wallets (wallet_id, account_id, public_key, binding_salt, imei, imsi,
        certificate, serial, status, currency, limit_per_payment, limit_offline_amount,
        limit_offline_count, created_at, revoked_at, revoke_reason)
      select decode(lpad(to_hex(i), 32, '0'), 'hex'), 'bulk',
        decode('02' || lpad(to_hex(i), 64, '0'), 'hex'), decode(repeat('00', 16), 'hex'),
        '490154203237518', '310150123456789', '\\xf000'::bytea, 1000000 + i, 'revoked', 978,
        0, 0, 0, 0, 0, 'lost'
      from generate_series(1, ${count}) as i`.execute(db);
    await sql`
      insert into hotlist_entries (version, wallet_id, reason, revoked_at)
      select i, decode(lpad(to_hex(i), 32, '0'), 'hex'), 'lost', 0
      from generate_series(1, ${count}) as i`.execute(db);
    await db.updateTable('hotlist_state').set({ version: count }).execute();
    const full = await app.inject(call.terminal(terminal, 'GET', '/v1/hotlist'));
    expect([full.statusCode, errorOf(full).code]).toEqual([503, 'hotlist_too_large']);
    const delta = await app.inject(
      call.terminal(terminal, 'GET', `/v1/hotlist/delta?since=${count - 1}`),
    );
    expect(delta.statusCode).toBe(200);
    expect(Hotlist.decode(delta.rawPayload).value.entries).toHaveLength(1);
    await app.close();
  }, 120_000);
});
