import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateSigningKey } from '../../protocol';
import { pruneNonces } from '../../platform/auth/nonces';
import { createOperatorToken } from '../../platform/auth/operator-tokens';
import { REQUEST_CLOCK_WINDOW_SECONDS, signRequest } from '../../protocol';
import { backends, useTestDatabases } from './support/databases';
import { insertTerminal, insertWallet } from './support/fixtures';
import { T0, testPlatform } from './support/platform';
import { errorOf, signed } from './support/requests';

const body = { note: 'coffee', amount: 350 };

describe.each(backends())('signed wallet and terminal requests on %s', (backend) => {
  const databases = useTestDatabases(backend);

  async function setup() {
    const platform = await testPlatform(await databases.fresh());
    const wallet = await insertWallet(platform.db);
    const other = await insertWallet(platform.db);
    const terminal = await insertTerminal(platform.db);
    const asWallet = (over: Partial<Parameters<typeof signed>[0]> = {}) =>
      signed({
        kind: 'wallet',
        callerId: wallet.walletIdHex,
        key: wallet.key,
        method: 'POST',
        url: `/v1/probe/wallets/${wallet.walletIdHex}/echo`,
        body,
        time: platform.clock.now(),
        ...over,
      });
    return { ...platform, wallet, other, terminal, asWallet };
  }

  it('accepts a good wallet request and names the caller', async () => {
    const { app, wallet, asWallet } = await setup();
    const response = await app.inject(asWallet());
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      caller: {
        kind: 'wallet',
        walletIdHex: wallet.walletIdHex,
        accountId: wallet.accountId,
        status: 'active',
      },
      body,
    });
    await app.close();
  });

  it('refuses a wrong key, an unknown wallet, a tampered body, path or query', async () => {
    const { app, wallet, asWallet } = await setup();
    const code = async (request: ReturnType<typeof asWallet>) => {
      const response = await app.inject(request);
      return `${response.statusCode} ${response.json<{ error: { code: string } }>().error.code}`;
    };
    expect(await code(asWallet({ key: generateSigningKey() }))).toBe('401 bad_signature');
    const unknown = randomBytes(16).toString('hex');
    expect(
      await code(asWallet({ callerId: unknown, url: `/v1/probe/wallets/${unknown}/echo` })),
    ).toBe('401 unknown_caller');
    const tamperedBody = { ...asWallet(), payload: JSON.stringify({ ...body, amount: 351 }) };
    expect(await code(tamperedBody)).toBe('401 bad_signature');
    const signedPlain = asWallet();
    const withAddedQuery = `/v1/probe/wallets/${wallet.walletIdHex}/echo?q=1`;
    expect(await code({ ...signedPlain, url: withAddedQuery })).toBe('401 bad_signature');
    const withQuery = asWallet({ url: `/v1/probe/wallets/${wallet.walletIdHex}/echo?q=1` });
    expect(
      await code({ ...withQuery, url: `/v1/probe/wallets/${wallet.walletIdHex}/echo?q=2` }),
    ).toBe('401 bad_signature');
    expect((await app.inject(withQuery)).statusCode).toBe(200);
    await app.close();
  });

  it(`refuses a request more than ${REQUEST_CLOCK_WINDOW_SECONDS} s from platform time, either way`, async () => {
    const { app, clock, asWallet } = await setup();
    const stale = await app.inject(
      asWallet({ time: clock.now() - REQUEST_CLOCK_WINDOW_SECONDS - 1 }),
    );
    expect(stale.statusCode).toBe(401);
    expect(errorOf(stale)).toMatchObject({ code: 'clock_skew', field: 'x-tapsafe-time' });
    expect(stale.headers['x-tapsafe-server-time']).toBe(String(clock.now()));
    const future = await app.inject(
      asWallet({ time: clock.now() + REQUEST_CLOCK_WINDOW_SECONDS + 1 }),
    );
    expect(errorOf(future).code).toBe('clock_skew');
    expect(
      (await app.inject(asWallet({ time: clock.now() - REQUEST_CLOCK_WINDOW_SECONDS }))).statusCode,
    ).toBe(200);
    await app.close();
  });

  it('refuses a replayed nonce, and forgets nonces only once their window has closed', async () => {
    const { app, db, clock, asWallet } = await setup();
    const request = asWallet();
    expect((await app.inject(request)).statusCode).toBe(200);
    const replay = await app.inject(request);
    expect(replay.statusCode).toBe(401);
    expect(errorOf(replay).code).toBe('replayed_request');
    // Pruning keeps the nonce while the request could still pass the time check...
    expect(await pruneNonces(db, clock.now() + REQUEST_CLOCK_WINDOW_SECONDS)).toBe(0);
    expect(errorOf(await app.inject(request)).code).toBe('replayed_request');
    // ...and once it cannot, the time check refuses the replay on its own.
    clock.advance(REQUEST_CLOCK_WINDOW_SECONDS + 1);
    expect(await pruneNonces(db, clock.now())).toBe(1);
    expect(errorOf(await app.inject(request)).code).toBe('clock_skew');
    await app.close();
  });

  it("refuses another wallet's id, a wallet not in an admitted status, and the wrong role", async () => {
    const { app, db, wallet, other, terminal, asWallet } = await setup();
    const foreign = await app.inject(
      asWallet({ url: `/v1/probe/wallets/${other.walletIdHex}/echo` }),
    );
    expect(foreign.statusCode).toBe(403);
    expect(errorOf(foreign).code).toBe('not_your_resource');
    const inBody = await app.inject(
      asWallet({ url: '/v1/probe/any', body: { walletId: other.walletIdHex } }),
    );
    expect(errorOf(inBody).code).toBe('not_your_resource');
    expect(
      (await app.inject(asWallet({ url: '/v1/probe/any', body: { walletId: wallet.walletIdHex } })))
        .statusCode,
    ).toBe(200);
    expect(errorOf(await app.inject(asWallet({ url: '/v1/probe/operator' }))).code).toBe(
      'role_not_allowed',
    );
    const asTerminal = signed({
      kind: 'terminal',
      callerId: terminal.terminalId,
      key: terminal.key,
      method: 'POST',
      url: `/v1/probe/wallets/${wallet.walletIdHex}/echo`,
      body,
      time: T0,
    });
    expect(errorOf(await app.inject(asTerminal)).code).toBe('role_not_allowed');

    await db
      .updateTable('wallets')
      .set({ status: 'locked' })
      .where('wallet_id', '=', wallet.walletId)
      .execute();
    expect(errorOf(await app.inject(asWallet())).code).toBe('wallet_locked');
    const get = asWallet({ method: 'GET', url: '/v1/probe/wallet', body: undefined });
    expect((await app.inject(get)).json()).toMatchObject({ caller: { status: 'locked' } });
    const revoked = await insertWallet(db, { status: 'revoked' });
    const fromRevoked = signed({
      kind: 'wallet',
      callerId: revoked.walletIdHex,
      key: revoked.key,
      method: 'GET',
      url: '/v1/probe/wallet',
      time: T0,
    });
    expect(errorOf(await app.inject(fromRevoked)).code).toBe('wallet_revoked');
    await app.close();
  });

  it('authenticates terminals the same way, in their own signature domain', async () => {
    const { app, db, wallet, terminal } = await setup();
    const request = (over: Partial<Parameters<typeof signed>[0]> = {}) =>
      signed({
        kind: 'terminal',
        callerId: terminal.terminalId,
        key: terminal.key,
        method: 'POST',
        url: `/v1/probe/terminals/${terminal.terminalId}/echo`,
        body,
        time: T0,
        ...over,
      });
    const ok = await app.inject(request());
    expect(ok.statusCode).toBe(200);
    expect(ok.json<{ caller: unknown }>().caller).toEqual({
      kind: 'terminal',
      terminalId: terminal.terminalId,
      merchantId: terminal.merchantId,
      status: 'active',
    });
    expect(errorOf(await app.inject(request({ key: generateSigningKey() }))).code).toBe(
      'bad_signature',
    );
    expect(errorOf(await app.inject(request({ time: T0 - 301 }))).code).toBe('clock_skew');
    const again = request();
    await app.inject(again);
    expect(errorOf(await app.inject(again)).code).toBe('replayed_request');
    const other = await insertTerminal(db);
    const foreign = request({ url: `/v1/probe/terminals/${other.terminalId}/echo` });
    expect(errorOf(await app.inject(foreign)).code).toBe('not_your_resource');

    // A wallet signature is never a terminal signature, even under the same key.
    const twin = await insertTerminal(db, { key: wallet.key });
    const walletSigned = signRequest({
      kind: 'wallet',
      callerId: twin.terminalId,
      key: wallet.key,
      method: 'POST',
      target: `/v1/probe/terminals/${twin.terminalId}/echo`,
      body: JSON.stringify(body),
      time: T0,
    });
    const crossed = await app.inject({
      method: 'POST',
      url: `/v1/probe/terminals/${twin.terminalId}/echo`,
      headers: {
        'x-tapsafe-terminal': twin.terminalId,
        'x-tapsafe-time': walletSigned['x-tapsafe-time'] ?? '',
        'x-tapsafe-nonce': walletSigned['x-tapsafe-nonce'] ?? '',
        'x-tapsafe-signature': walletSigned['x-tapsafe-signature'] ?? '',
        'content-type': 'application/json',
      },
      payload: JSON.stringify(body),
    });
    expect(errorOf(crossed).code).toBe('bad_signature');

    await db
      .updateTable('terminals')
      .set({ status: 'suspended', suspended_at: T0 })
      .where('terminal_id', '=', terminal.terminalId)
      .execute();
    expect(errorOf(await app.inject(request())).code).toBe('terminal_suspended');
    await app.close();
  });

  it('refuses malformed or ambiguous credentials', async () => {
    const { app, db, asWallet } = await setup();
    const good = asWallet();
    const headers = good.headers as Record<string, string>;
    for (const [name, value] of [
      ['x-tapsafe-wallet', 'XYZ'],
      ['x-tapsafe-time', '-5'],
      ['x-tapsafe-nonce', 'ABCDEF'],
      ['x-tapsafe-signature', '00'],
    ] as const) {
      const response = await app.inject({ ...good, headers: { ...headers, [name]: value } });
      expect(response.statusCode, name).toBe(401);
      expect(errorOf(response), name).toMatchObject({
        code: 'credentials_malformed',
        field: name,
      });
    }
    const { token } = await createOperatorToken(db, { label: 'x', at: T0 });
    const both = await app.inject({
      ...good,
      headers: { ...headers, authorization: `Bearer ${token}` },
    });
    expect(errorOf(both).code).toBe('credentials_ambiguous');
    await app.close();
  });

  it('works over a real HTTP connection on 127.0.0.1', async () => {
    const { app, wallet, clock } = await setup();
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    const url = `/v1/probe/wallets/${wallet.walletIdHex}/echo`;
    const payload = JSON.stringify(body);
    const headers = signRequest({
      kind: 'wallet',
      callerId: wallet.walletIdHex,
      key: wallet.key,
      method: 'POST',
      target: url,
      body: payload,
      time: clock.now(),
    });
    const response = await fetch(`${address}${url}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: payload,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ caller: { walletIdHex: wallet.walletIdHex } });
    const replay = await fetch(`${address}${url}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: payload,
    });
    expect(replay.status).toBe(401);
    await app.close();
  });
});
