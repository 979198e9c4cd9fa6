/**
 * S2 (offline payment), S3 (binding mismatch), S4 (wipe after T), S5 (lost phone),
 * S6 (re-activation in one step and migration) and S11 (torn tap) with the real phone
 * against the real platform, through the in-process field.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Hotlist,
  Notification,
  PaymentRecord,
  signRequest,
  SW,
  WalletCertificate,
} from '../../protocol';
import { CardRemovedError, forReactivation } from '../../handset';
import { startEmbeddedPlatform } from '../../platform/embedded';
import { pendingNotifications } from '../../platform/notifications/surface';
import { insertTerminal } from '../platform/support/fixtures';
import { handsetCli } from './support/handset-cli';
import { PASSWORD, startRig, type Rig, type ScenarioPhone } from './support/rig';

let rig: Rig;
let serial = 0;
beforeAll(async () => {
  rig = await startRig();
});
afterAll(() => rig.close());

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const DAY = 86_400;

/** A phone with its own IMEI / IMSI (and, unless given, its own account). */
function newPhone(): ScenarioPhone {
  serial += 1;
  return rig.newPhone({
    imei: `35693803${String(1000000 + serial).slice(1)}0`,
    imsi: `31015077${String(1000000 + serial).slice(1)}`,
  });
}

async function activated(
  balance = 10_000,
): Promise<ScenarioPhone & { accountId: string; walletIdHex: string }> {
  const accountId = `s-user-${serial + 1}`;
  await rig.addUser(accountId, balance);
  const phone = newPhone();
  await phone.phone.activate({ accountId, password: PASSWORD });
  return { ...phone, accountId, walletIdHex: hex(phone.phone.wallet.walletId as Uint8Array) };
}

async function certificateOf(terminal: ScenarioPhone['terminal']) {
  await terminal.select();
  return WalletCertificate.decode((await terminal.readCertificate()).data);
}

describe('S2: offline payment', () => {
  it('signs a record that echoes the request, verifies under the certificate key, and debits once', async () => {
    const { phone, terminal } = await activated(10_000);
    const certificate = await certificateOf(terminal);
    const request = terminal.request(2_599);
    const { sw, record } = await terminal.pay(request);
    expect(sw).toBe(SW.ok);
    const signed = record as NonNullable<typeof record>;
    const opened = PaymentRecord.open(signed.encoded, certificate.value.walletPublicKey);
    expect(opened.value).toMatchObject({
      ...request.value,
      counter: 1,
      balanceAfter: 10_000 - 2_599,
    });
    expect(opened.value.walletId).toEqual(certificate.value.walletId);
    expect(phone.snapshot().wallet).toMatchObject({ balance: 10_000 - 2_599, counter: 1 });
  });
});

describe('S3: binding mismatch', () => {
  it('a swapped SIM locks: SELECT shows locked, PAY answers 9F01, nothing signed', async () => {
    const { phone, terminal } = await activated();
    expect((await terminal.pay(terminal.request(100))).sw).toBe(SW.ok);
    const imsi = phone.snapshot().device.identity.imsi;
    phone.swapSim('310150999999999');
    expect((await terminal.select()).fci?.walletState).toBe('locked');
    expect((await terminal.pay(terminal.request(100), { select: false })).sw).toBe(SW.locked);
    // Put the SIM back: the seal opens, nothing more was signed, and the lock stays.
    phone.swapSim(imsi);
    expect(phone.snapshot().wallet).toMatchObject({ state: 'locked', counter: 1, balance: 9_900 });
  });

  it('a swapped handset (IMEI) locks the same way', async () => {
    const { phone, terminal } = await activated();
    const imei = phone.snapshot().device.identity.imei;
    phone.swapDevice('356938035649999');
    expect((await terminal.select()).fci?.walletState).toBe('locked');
    expect((await terminal.pay(terminal.request(100), { select: false })).sw).toBe(SW.locked);
    phone.swapDevice(imei);
    expect(phone.snapshot().wallet).toMatchObject({ state: 'locked', counter: 0, balance: 10_000 });
  });
});

describe('S4: wipe after T locked', () => {
  it('erases the offline data after T; the platform still holds the money', async () => {
    const { phone, terminal, walletIdHex } = await activated(8_000);
    const params = phone.snapshot().wallet.params;
    expect(params).toBeDefined();
    const T = (params as NonNullable<typeof params>).T;
    phone.swapSim('310150999999998');
    rig.clock.advance(T);
    expect(phone.snapshot().wallet.state).toBe('locked');
    rig.clock.advance(1);
    expect(phone.snapshot().wallet).toMatchObject({ state: 'wiped', storage: 'erased' });
    expect((await terminal.select()).fci?.walletState).toBe('wiped');
    expect((await terminal.pay(terminal.request(1), { select: false })).sw).toBe(SW.wiped);

    const shown = await rig.operator<{ balance: number }>('GET', `/v1/wallets/${walletIdHex}`);
    expect(shown.status).toBe(200);
    expect(shown.body.balance).toBe(8_000);
  });
});

describe('S5: lost phone', () => {
  it('the online phone gets lock and wipe at sync and refuses to pay', async () => {
    const { phone, terminal, walletIdHex } = await activated();
    const reported = await rig.operator<{ notices: { type: string }[] }>(
      'POST',
      '/v1/lost-reports',
      { walletId: walletIdHex, reason: 'lost' },
    );
    expect(reported.status).toBe(200);
    expect(reported.body.notices.map((n) => n.type)).toEqual(['lock', 'wipe']);
    const outcome = await phone.sync();
    expect(outcome.notices.map((n) => n.result)).toEqual([
      { ok: true, value: 'lock' },
      { ok: true, value: 'wipe' },
    ]);
    expect(phone.snapshot().wallet.state).toBe('wiped');
    expect((await terminal.pay(terminal.request(10))).sw).toBe(SW.wiped);
  });

  it('an offline phone gets the notices relayed by a terminal; a replay answers 9F0B', async () => {
    const { phone, terminal, walletIdHex, accountId } = await activated();
    phone.loseSignal();
    const reported = await rig.operator('POST', '/v1/lost-reports', {
      accountId,
      reason: 'stolen',
    });
    expect(reported.status).toBe(200);
    const envelopes = await pendingNotifications(
      rig.platform.platform.state.db,
      Buffer.from(walletIdHex, 'hex'),
      phone.snapshot().wallet.lastSequence,
    );
    const [lock, wipe] = envelopes.map((e) => ({ e, n: Notification.decode(e) }));
    expect(envelopes).toHaveLength(2);
    expect(lock?.n.value.notificationType).toBe('lock');
    expect(wipe?.n.value.notificationType).toBe('wipe');

    await terminal.select();
    expect(await terminal.deliver(lock?.e as Uint8Array)).toBe(SW.ok);
    expect(await terminal.deliver(lock?.e as Uint8Array)).toBe(SW.notification_replay);
    expect((await terminal.pay(terminal.request(10))).sw).toBe(SW.disabled);
    expect(phone.snapshot().wallet.counter).toBe(0);
    expect(await terminal.deliver(wipe?.e as Uint8Array)).toBe(SW.ok);
    expect(phone.snapshot().wallet.state).toBe('wiped');
    expect((await terminal.pay(terminal.request(10))).sw).toBe(SW.wiped);
  });
  it('a terminal relays the notice from the hotlist it downloads (terminal-signed GET)', async () => {
    const { phone, terminal, walletIdHex } = await activated();
    phone.loseSignal();
    expect((await rig.operator('POST', '/v1/lost-reports', { walletId: walletIdHex })).status).toBe(
      200,
    );
    const { db, keys } = rig.platform.platform.state;
    const reader = await insertTerminal(db);
    const headers = signRequest({
      kind: 'terminal',
      callerId: reader.terminalId,
      key: reader.key,
      method: 'GET',
      target: '/v1/hotlist',
      time: rig.clock.now(),
    });
    const response = await fetch(new URL('/v1/hotlist', rig.platform.url), { headers });
    expect(response.status).toBe(200);
    const hotlist = Hotlist.decode(new Uint8Array(await response.arrayBuffer()));
    Hotlist.verify(hotlist, (await keys.publicKeyFor(hotlist.value.issuerKeyId)) as Uint8Array);
    const notice = hotlist.value.notices.find((n) => hex(n.value.walletId) === walletIdHex);
    expect(notice?.value.notificationType).toBe('wipe');

    await terminal.select();
    expect(await terminal.deliver((notice as NonNullable<typeof notice>).encoded)).toBe(SW.ok);
    expect(phone.snapshot().wallet).toMatchObject({ state: 'wiped', storage: 'erased' });
    expect((await terminal.pay(terminal.request(10))).sw).toBe(SW.wiped);
    expect(await terminal.deliver((notice as NonNullable<typeof notice>).encoded)).toBe(SW.wiped);
  });
});

describe('S6: re-activation and migration', () => {
  it('one step: new wallet with the e-cash minus the hold, the old phone erased, the hold released later', async () => {
    const old = await activated(50_000);
    const reported = await rig.operator('POST', '/v1/lost-reports', {
      accountId: old.accountId,
      reason: 'lost',
    });
    expect(reported.status).toBe(200);

    // A plain activation would strand the lost wallet's e-cash: the platform says so.
    const fresh = newPhone();
    const details = { accountId: old.accountId, password: PASSWORD };
    await expect(fresh.phone.activate(details)).rejects.toMatchObject({
      code: 'refused',
      platformCode: 'reactivate_instead',
    });
    expect(fresh.phone.snapshot().wallet.state).toBe('not_activated');

    // The user re-verifies on the new phone: wallet and e-cash arrive together.
    await fresh.phone.activate(forReactivation(details));
    const limit = old.phone.snapshot().wallet.limits?.offlineAmount as number;
    const held = Math.min(50_000, limit);
    const migrated = fresh.link.lastReactivation;
    expect(migrated).toMatchObject({ oldWalletId: old.walletIdHex, held, moved: 50_000 - held });
    expect(fresh.phone.snapshot().wallet).toMatchObject({
      state: 'active',
      balance: 50_000 - held,
    });
    expect((await fresh.terminal.pay(fresh.terminal.request(1_000))).sw).toBe(SW.ok);

    // The old phone hears from the platform at its next sync and erases itself.
    const heard = await old.phone.sync();
    // lock and wipe (the lost report) erase it; migrate_out then finds it erased already.
    expect(heard.notices.map((n) => n.result)).toMatchObject([
      { ok: true, value: 'lock' },
      { ok: true, value: 'wipe' },
      { ok: false, sw: SW.wiped },
    ]);
    expect(old.phone.snapshot().wallet).toMatchObject({ state: 'wiped', storage: 'erased' });
    expect((await old.terminal.pay(old.terminal.request(10))).sw).toBe(SW.wiped);
    const oldView = await rig.operator<{ status: string; balance: number }>(
      'GET',
      `/v1/wallets/${old.walletIdHex}`,
    );
    expect(oldView.body).toMatchObject({ status: 'revoked', balance: 0 });

    // The platform's own job releases the hold once its window has closed.
    const job = rig.platform.platform.jobs?.holdRelease;
    expect((await job?.runOnce())?.released).toEqual([]);
    const holdUntil = (migrated as NonNullable<typeof migrated>).holdUntil;
    while (rig.clock.now() < holdUntil) {
      rig.clock.advance(DAY); // the new phone keeps syncing so it stays fresh
      await fresh.phone.sync();
    }
    const run = await job?.runOnce();
    expect(run?.released).toMatchObject([{ oldWalletId: old.walletIdHex, released: held }]);
    const outcome = await fresh.phone.sync();
    expect(outcome.notices.map((n) => n.result)).toEqual([{ ok: true, value: 'balance_update' }]);
    expect(fresh.phone.snapshot().wallet.balance).toBe(50_000 - 1_000);
  });

  it('refuses to re-activate while the old phone is live; nothing moves', async () => {
    const old = await activated(5_000);
    const fresh = newPhone();
    await expect(
      fresh.phone.activate(forReactivation({ accountId: old.accountId, password: PASSWORD })),
    ).rejects.toMatchObject({ platformCode: 'wallet_not_reported_lost' });
    expect(fresh.phone.snapshot().wallet.state).toBe('not_activated');
    expect((await old.terminal.pay(old.terminal.request(100))).sw).toBe(SW.ok);
  });
});

describe('S6 through the handset CLI', () => {
  it("`npm run handset -- reactivate` moves the lost phone's e-cash to the new one", async () => {
    // Its own platform on the real clock: the phones of a child process cannot time-travel.
    const platform = await startEmbeddedPlatform({ jobs: false });
    const dir = mkdtempSync(join(tmpdir(), 'tapsafe-s6-cli-'));
    const handset = handsetCli(platform.url, dir);
    try {
      const token = await platform.createOperatorToken('s6 cli');
      const operator = (path: string, body: unknown) =>
        fetch(new URL(path, platform.url), {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      const account = { accountId: 'ACC-S6', password: PASSWORD };
      await operator('/v1/accounts', { ...account, name: 'S6', balance: 30_000 });
      const user = ['--account', account.accountId, '--password', PASSWORD];
      expect((await handset('old', 'activate', ...user)).code).toBe(0);
      const early = await handset('new', 'reactivate', ...user);
      expect([early.code, early.out]).toEqual([
        1,
        expect.stringMatching(/wallet_not_reported_lost/),
      ]);
      expect((await operator('/v1/lost-reports', { accountId: account.accountId })).status).toBe(
        200,
      );
      const moved = await handset('new', 'reactivate', ...user);
      expect(moved.code).toBe(0);
      expect(moved.out).toMatch(/moved 100\.00 from wallet [0-9a-f]{32}; 200\.00 held until 20/);
      expect(moved.out).toMatch(/state=active.*balance=100\.00/);
    } finally {
      await platform.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('S11: torn tap', () => {
  it('the next tap reads the same signed record from the log; one debit', async () => {
    const { phone, terminal } = await activated(10_000);
    const certificate = await certificateOf(terminal);
    const { request, torn, cardLeft, sw, records } = await terminal.tornPayThenReadLog(700, phone);
    expect(torn).toBeInstanceOf(CardRemovedError);
    expect(cardLeft).toBe(true);
    expect(sw).toBe(SW.ok);
    expect(records).toHaveLength(1);
    const recovered = PaymentRecord.open(
      (records[0] as (typeof records)[number]).encoded,
      certificate.value.walletPublicKey,
    );
    expect(recovered.value).toMatchObject({ ...request.value, counter: 1, balanceAfter: 9_300 });
    expect(phone.snapshot().wallet).toMatchObject({ balance: 9_300, counter: 1 });
  });
});
