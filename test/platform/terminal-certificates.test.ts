/**
 * Terminal certificates (enrollment, renewal), suspend_terminal notices to the phones, and
 * the issuer-key announcements every sync answer carries.
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import {
  generateSigningKey,
  IssuerKeyAnnouncement,
  keyIdOf,
  NO_END,
  Notification,
  TerminalCertificate,
  type SigningKey,
} from '../../protocol';
import { queueSuspensionNotices } from '../../platform/terminals/suspension';
import { backends, useTestDatabases } from './support/databases';
import { insertWallet, type TerminalFixture } from './support/fixtures';
import { testPlatform, type TestPlatform } from './support/platform';
import { errorOf } from './support/requests';
import { callers, type Callers } from './support/units';
import { activateWallet, registerUser, type ActivatedWallet } from './support/wallet-users';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const bytes = (h: string) => Buffer.from(h, 'hex');
const DAY = 86_400;

describe.each(backends())('terminal certificates on %s', (backend) => {
  const databases = useTestDatabases(backend);

  async function setup(terminalCertificateDays?: number) {
    const platform = await testPlatform(await databases.fresh(), {
      ...(terminalCertificateDays === undefined ? {} : { terminalCertificateDays }),
    });
    const call = await callers(platform);
    // Fixture wallets (insertWallet) count serials from 1 on their own: keep clear of them.
    await sql`select setval('certificate_serials', 1000000)`.execute(platform.db);
    return { platform, call, ...platform };
  }

  async function enroll(
    platform: TestPlatform,
    call: Callers,
    terminalId = 'T1',
  ): Promise<{ terminal: TerminalFixture; certificate: string }> {
    const created = await platform.app.inject(
      call.operator('POST', '/v1/enrollment-codes', { merchantId: 'M1', terminalId }),
    );
    const key = generateSigningKey();
    const response = await platform.app.inject(
      call.anonymous('POST', '/v1/terminals/enroll', {
        code: created.json<{ code: string }>().code,
        publicKey: hex(key.publicKey),
      }),
    );
    expect(response.statusCode).toBe(201);
    const terminal = { terminalId, merchantId: 'M1', key };
    return { terminal, certificate: response.json<{ certificate: string }>().certificate };
  }

  const renew = (platform: TestPlatform, call: Callers, terminal: TerminalFixture) =>
    platform.app.inject(
      call.terminal(terminal, 'POST', `/v1/terminals/${terminal.terminalId}/certificate`, {}),
    );
  const operator = (platform: TestPlatform, call: Callers, url: string) =>
    platform.app.inject(call.operator('POST', url, {}));

  const sync = async (
    platform: TestPlatform,
    call: Callers,
    wallet: { walletIdHex: string; key: SigningKey },
    lastSequence = 0,
  ) => {
    const response = await platform.app.inject(
      call.wallet(
        { ...wallet, walletId: bytes(wallet.walletIdHex), accountId: '' },
        'POST',
        `/v1/wallets/${wallet.walletIdHex}/sync`,
        { lastSequence },
      ),
    );
    expect(response.statusCode).toBe(200);
    return response.json<{ notifications: string[]; issuerKeys: string[] }>();
  };
  const suspensions = (notices: string[]) =>
    notices
      .map((n) => Notification.decode(bytes(n)).value)
      .filter((n) => n.notificationType === 'suspend_terminal')
      .map((n) => ({ serial: n.serial, sequence: n.sequence }));

  it('enrollment issues a certificate for the terminal key, signed by the active issuer key', async () => {
    const { platform, call, keys, clock } = await setup(7);
    const { terminal, certificate } = await enroll(platform, call);
    const active = await keys.activeIssuer();
    const opened = TerminalCertificate.open(bytes(certificate), active.publicKey).value;
    expect({
      ...opened,
      terminalPublicKey: hex(opened.terminalPublicKey),
      issuerKeyId: hex(opened.issuerKeyId),
    }).toEqual({
      serial: expect.any(Number) as number,
      merchantId: 'M1',
      terminalId: 'T1',
      terminalPublicKey: hex(terminal.key.publicKey),
      issuerKeyId: active.keyIdHex,
      validFrom: clock.now() - 300,
      validUntil: clock.now() + 7 * DAY,
    });
    const other = generateSigningKey();
    expect(() => TerminalCertificate.open(bytes(certificate), other.publicKey)).toThrow();
    const row = await platform.db
      .selectFrom('terminal_certificates')
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      serial: opened.serial,
      terminal_id: 'T1',
      valid_from: opened.validFrom,
      valid_until: opened.validUntil,
      issued_at: clock.now(),
      suspended_at: null,
    });
    expect(hex(row.public_key)).toBe(hex(terminal.key.publicKey));
    await platform.app.close();
  });

  it('renews with a new serial; refused while suspended; a resumed terminal gets a new one', async () => {
    const { platform, call, keys, clock } = await setup();
    const { terminal, certificate } = await enroll(platform, call);
    const active = await keys.activeIssuer();
    const first = TerminalCertificate.open(bytes(certificate), active.publicKey).value;
    clock.advance(DAY);
    const renewed = await renew(platform, call, terminal);
    expect(renewed.statusCode).toBe(201);
    const body = renewed.json<{ certificate: string; serial: number; validUntil: number }>();
    const second = TerminalCertificate.open(bytes(body.certificate), active.publicKey).value;
    expect(second).toMatchObject({
      terminalId: 'T1',
      merchantId: 'M1',
      validFrom: clock.now() - 300,
      validUntil: clock.now() + 30 * DAY,
    });
    expect(second.serial).toBeGreaterThan(first.serial);
    expect(body).toMatchObject({ terminalId: 'T1', serial: second.serial });

    expect((await operator(platform, call, '/v1/terminals/T1/suspend')).statusCode).toBe(200);
    const refused = await renew(platform, call, terminal);
    expect([refused.statusCode, errorOf(refused).code]).toEqual([403, 'terminal_suspended']);
    expect((await operator(platform, call, '/v1/terminals/T1/resume')).statusCode).toBe(200);
    const third = await renew(platform, call, terminal);
    expect(third.statusCode).toBe(201);
    expect(third.json<{ serial: number }>().serial).toBeGreaterThan(second.serial);
    const rows = await platform.db
      .selectFrom('terminal_certificates')
      .select(['serial', 'suspended_at'])
      .orderBy('serial')
      .execute();
    // The old serials stay suspended after the resumption; only the new one is not.
    expect(rows.map((r) => r.suspended_at !== null)).toEqual([true, true, false]);
    await platform.app.close();
  });

  it('suspension names every valid certificate to every reachable wallet, at its next sync', async () => {
    const { platform, call, clock } = await setup(10);
    await registerUser(platform, call, 'alice', 1_000);
    const alice = await activateWallet(platform, call, 'alice', { amount: 1_000 });
    const locked = await insertWallet(platform.db, { status: 'locked' });
    const revoked = await insertWallet(platform.db, { status: 'revoked' });
    const wiped = await insertWallet(platform.db, { status: 'wiped' });
    await enroll(platform, call, 'T-old');
    clock.advance(11 * DAY); // T-old's certificate has expired: nobody needs to hear of it
    const { terminal, certificate } = await enroll(platform, call, 'T1');
    clock.advance(DAY);
    const renewed = (await renew(platform, call, terminal)).json<{ serial: number }>().serial;
    const first = TerminalCertificate.decode(bytes(certificate)).value.serial;
    expect((await operator(platform, call, '/v1/terminals/T-old/suspend')).statusCode).toBe(200);
    expect(await platform.db.selectFrom('notifications').selectAll().execute()).toEqual([]);

    expect((await operator(platform, call, '/v1/terminals/T1/suspend')).statusCode).toBe(200);
    const perWallet = await platform.db
      .selectFrom('notifications')
      .select(['wallet_id', (eb) => eb.fn.countAll<number>().as('notices')])
      .where('type', '=', 'suspend_terminal')
      .groupBy('wallet_id')
      .execute();
    expect(new Map(perWallet.map((r) => [hex(r.wallet_id), Number(r.notices)]))).toEqual(
      new Map([
        [alice.walletIdHex, 2],
        [locked.walletIdHex, 2],
        [revoked.walletIdHex, 2],
      ]),
    );
    expect(perWallet.map((r) => hex(r.wallet_id))).not.toContain(wiped.walletIdHex);
    const synced = await sync(platform, call, alice);
    expect(suspensions(synced.notifications)).toEqual([
      { serial: first, sequence: 1 },
      { serial: renewed, sequence: 2 },
    ]);
    const notice = Notification.decode(bytes(synced.notifications[0] ?? '')).value;
    expect(notice).toMatchObject({ amount: 0, balance: 1_000 });
    await platform.app.close();
  });

  it('queues in batches, every wallet once per certificate, in order', async () => {
    const { platform, call, keys, clock } = await setup();
    const { terminal } = await enroll(platform, call);
    const wallets = [];
    for (let i = 0; i < 5; i += 1) wallets.push(await insertWallet(platform.db));
    const queued = await platform.db
      .transaction()
      .execute((trx) => queueSuspensionNotices(trx, { keys, clock }, terminal.terminalId, 2));
    expect(queued.walletIds).toEqual(wallets.map((w) => w.walletIdHex).sort());
    expect(queued.serials).toHaveLength(1);
    const rows = await platform.db.selectFrom('notifications').select('sequence').execute();
    expect(rows.map((r) => r.sequence)).toEqual([1, 1, 1, 1, 1]);
    await platform.app.close();
  });

  it('a wallet issued after the suspension hears of the certificates still valid', async () => {
    const { platform, call, clock } = await setup(10);
    const { certificate } = await enroll(platform, call, 'T1');
    await enroll(platform, call, 'T2');
    expect((await operator(platform, call, '/v1/terminals/T1/suspend')).statusCode).toBe(200);
    expect((await operator(platform, call, '/v1/terminals/T2/suspend')).statusCode).toBe(200);
    expect((await operator(platform, call, '/v1/terminals/T2/resume')).statusCode).toBe(200);
    clock.advance(DAY);
    await registerUser(platform, call, 'bob', 500);
    const bob: ActivatedWallet = await activateWallet(platform, call, 'bob');
    expect(bob.grant.notificationSequence).toBe(0);
    const serial = TerminalCertificate.decode(bytes(certificate)).value.serial;
    const t2 = await platform.db
      .selectFrom('terminal_certificates')
      .select('serial')
      .where('terminal_id', '=', 'T2')
      .executeTakeFirstOrThrow();
    // T2 was resumed, but its old certificate stays suspended for new wallets too.
    expect(suspensions((await sync(platform, call, bob)).notifications)).toEqual([
      { serial, sequence: 1 },
      { serial: t2.serial, sequence: 2 },
    ]);
    // Once expired, a suspended certificate is not worth a notice.
    clock.advance(10 * DAY);
    await registerUser(platform, call, 'carol', 500);
    const carol = await activateWallet(platform, call, 'carol');
    expect(suspensions((await sync(platform, call, carol)).notifications)).toEqual([]);
    await platform.app.close();
  });

  it('sync and unlock answers announce every verifying key, signed by the oldest one', async () => {
    const { platform, call, keys, clock } = await setup();
    await registerUser(platform, call, 'alice', 1_000);
    const alice = await activateWallet(platform, call, 'alice');
    const [held] = alice.grant.issuerKeys.map(bytes);
    if (held === undefined) throw new Error('no issuer key in the grant');
    const open = (envelopes: string[]) =>
      envelopes.map((e) => IssuerKeyAnnouncement.open(bytes(e), held).value);

    const before = await sync(platform, call, alice);
    expect(open(before.issuerKeys)).toEqual([
      {
        issuerKeyId: keyIdOf(held),
        announcedKey: held,
        issuedAt: clock.now(),
        validUntil: NO_END,
      },
    ]);
    clock.advance(60);
    // Signed once per key-ring state: the same bytes while nothing changes.
    expect((await sync(platform, call, alice)).issuerKeys).toEqual(before.issuerKeys);

    const { active, retired } = await keys.rotate({ retireOldAfterSeconds: 3_600 });
    const after = await sync(platform, call, alice);
    // The key made after alice's activation reaches her under the key she holds.
    expect(open(after.issuerKeys)).toEqual([
      {
        issuerKeyId: keyIdOf(held),
        announcedKey: active.publicKey,
        issuedAt: clock.now(),
        validUntil: NO_END,
      },
      {
        issuerKeyId: keyIdOf(held),
        announcedKey: held,
        issuedAt: clock.now(),
        validUntil: retired?.retiredAt,
      },
    ]);
    const unlocked = await platform.app.inject(
      call.wallet(alice, 'POST', `/v1/wallets/${alice.walletIdHex}/unlock`, {
        imei: '490154203237518',
        imsi: '310150123456789',
        registration: { accountId: 'alice', password: 'correct horse battery' },
      }),
    );
    expect(unlocked.statusCode).toBe(200);
    expect(unlocked.json<{ issuerKeys: string[] }>().issuerKeys).toEqual(after.issuerKeys);

    clock.advance(3_600);
    const retiredNow = await sync(platform, call, alice);
    const lone = IssuerKeyAnnouncement.open(
      bytes(retiredNow.issuerKeys[0] ?? ''),
      active.publicKey,
    );
    expect(retiredNow.issuerKeys).toHaveLength(1);
    expect(lone.value).toMatchObject({ announcedKey: active.publicKey, validUntil: NO_END });
    await platform.app.close();
  });

  it('documents the renewal route and the new answer fields in the OpenAPI', async () => {
    const { platform } = await setup();
    const document = (await platform.app.inject({ url: '/openapi.json' })).json<{
      paths: Record<string, Record<string, unknown>>;
    }>();
    const text = JSON.stringify(document.paths);
    expect(document.paths['/v1/terminals/{terminalId}/certificate']?.post).toBeDefined();
    expect(text).toContain('signed TerminalCertificate envelope, hex');
    expect(text).toContain('signed IssuerKeyAnnouncement envelopes, hex');
    expect(text).toContain('terminals learn no account identity');
    await platform.app.close();
  });
});
