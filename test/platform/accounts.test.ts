/** The accounts unit: registration, e-cash loading, account and wallet views; authorization. */
import { describe, expect, it } from 'vitest';
import { verifyPassword } from '../../protocol';
import { balanceOf } from '../../platform/ledger/post';
import { backends, useTestDatabases } from './support/databases';
import { insertTerminal, insertWallet } from './support/fixtures';
import { testPlatform } from './support/platform';
import { errorOf } from './support/requests';
import { callers } from './support/units';
import { activateWallet, PASSWORD, registerUser } from './support/wallet-users';

describe.each(backends())('accounts on %s', (backend) => {
  const databases = useTestDatabases(backend);

  async function setup() {
    const platform = await testPlatform(await databases.fresh());
    return { platform, call: await callers(platform) };
  }

  it('registers a user with hashed secrets and e-cash from the float, audited', async () => {
    const { platform, call } = await setup();
    const body = {
      accountId: 'alice',
      name: 'Alice',
      password: PASSWORD,
      idNumber: 'X123',
      phoneNumber: '+3161234567',
      balance: 2_500,
    };
    const created = await platform.app.inject(call.operator('POST', '/v1/accounts', body));
    expect(created.statusCode).toBe(201);
    expect(created.json()).toEqual({ accountId: 'alice', balance: 2_500 });
    const row = await platform.db.selectFrom('accounts').selectAll().executeTakeFirstOrThrow();
    expect(row.password_hash).not.toContain(PASSWORD);
    expect(await verifyPassword(PASSWORD, row.password_hash)).toBe(true);
    expect(await verifyPassword('X123', row.id_number_hash ?? '')).toBe(true);
    expect(await balanceOf(platform.db, 'user:alice')).toBe(2_500);
    expect(await balanceOf(platform.db, 'platform:float')).toBe(-2_500);
    const audit = await platform.db.selectFrom('audit_log').selectAll().execute();
    expect(audit.map((a) => a.action)).toContain('account.create');
    expect(JSON.stringify(audit)).not.toContain(PASSWORD);

    const again = await platform.app.inject(call.operator('POST', '/v1/accounts', body));
    expect(again.statusCode).toBe(409);
    expect(errorOf(again).code).toBe('account_exists');
    expect(await balanceOf(platform.db, 'user:alice')).toBe(2_500);

    const shown = await platform.app.inject(call.operator('GET', '/v1/accounts/alice'));
    expect(shown.json()).toMatchObject({
      accountId: 'alice',
      name: 'Alice',
      hasIdNumber: true,
      balance: 2_500,
      wallets: [],
    });
  });

  it('refuses bad input with 400 and changes nothing', async () => {
    const { platform, call } = await setup();
    for (const body of [
      { accountId: 'bad id!', name: 'x', password: PASSWORD },
      { accountId: 'ok', name: 'x', password: 'short' },
      { accountId: 'ok', name: 'x', password: PASSWORD, balance: -1 },
      { accountId: 'ok', name: 'x', password: PASSWORD, balance: 1.5 },
    ]) {
      const response = await platform.app.inject(call.operator('POST', '/v1/accounts', body));
      expect(response.statusCode).toBe(400);
      expect(errorOf(response).code).toBe('invalid_request');
    }
    expect(await platform.db.selectFrom('accounts').selectAll().execute()).toEqual([]);
  });

  it('loads e-cash onto an account, once per request id', async () => {
    const { platform, call } = await setup();
    await registerUser(platform, call, 'bob', 0);
    const load = call.operator('POST', '/v1/accounts/bob/load', {
      amount: 700,
      requestId: 'load-0001',
    });
    expect((await platform.app.inject(load)).json()).toEqual({ accountId: 'bob', balance: 700 });
    expect((await platform.app.inject(load)).json()).toEqual({ accountId: 'bob', balance: 700 });
    const unknown = await platform.app.inject(
      call.operator('POST', '/v1/accounts/nobody/load', { amount: 1 }),
    );
    expect(unknown.statusCode).toBe(404);
    expect(errorOf(unknown).code).toBe('unknown_account');
  });

  it('shows a wallet with its ledger balance and pending notices; 404 for an unknown one', async () => {
    const { platform, call } = await setup();
    await registerUser(platform, call, 'carol', 3_000);
    const wallet = await activateWallet(platform, call, 'carol');
    const shown = await platform.app.inject(
      call.operator('GET', `/v1/wallets/${wallet.walletIdHex}`),
    );
    expect(shown.json()).toMatchObject({
      walletId: wallet.walletIdHex,
      accountId: 'carol',
      status: 'active',
      balance: 3_000,
      pendingNotices: [],
    });
    const missing = await platform.app.inject(
      call.operator('GET', `/v1/wallets/${'00'.repeat(16)}`),
    );
    expect(missing.statusCode).toBe(404);
    expect(errorOf(missing).code).toBe('unknown_wallet');
  });

  it('answers only operators: 401 anonymous, 403 for wallets and terminals', async () => {
    const { platform, call } = await setup();
    const wallet = await insertWallet(platform.db);
    const terminal = await insertTerminal(platform.db);
    const routes = [
      ['POST', '/v1/accounts', { accountId: 'x', name: 'x', password: PASSWORD }],
      ['GET', '/v1/accounts/x', undefined],
      ['POST', '/v1/accounts/x/load', { amount: 1 }],
      ['GET', `/v1/wallets/${wallet.walletIdHex}`, undefined],
    ] as const;
    for (const [method, url, body] of routes) {
      const anonymous = await platform.app.inject(call.anonymous(method, url, body));
      expect(anonymous.statusCode).toBe(401);
      for (const request of [
        call.wallet(wallet, method, url, body),
        call.terminal(terminal, method, url, body),
      ]) {
        const response = await platform.app.inject(request);
        expect(response.statusCode).toBe(403);
        expect(errorOf(response).code).toBe('role_not_allowed');
      }
    }
    expect(await platform.db.selectFrom('accounts').select('account_id').execute()).toHaveLength(1);
  });
});
