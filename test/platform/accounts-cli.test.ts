/** The accounts and top-up CLI commands, through the API of a running (embedded) platform. */
import { describe, expect, it } from 'vitest';
import { generateSigningKey } from '../../protocol';
import { useCliPlatform } from './support/cli';

const cli = useCliPlatform();
const run = (...argv: string[]) => cli.run(...argv);

describe('accounts CLI', () => {
  it('add-user, load-account, show-account, show-wallet, top-up', async () => {
    delete process.env.TAPSAFE_USER_PASSWORD;
    expect((await run('add-user', '--account', 'zed', '--name', 'Zed')).code).toBe(2);
    process.env.TAPSAFE_USER_PASSWORD = 'zed secret password';
    try {
      const added = await run('add-user', '--account', 'zed', '--name', 'Zed', '--balance', '900');
      expect(added).toMatchObject({ code: 0, out: 'account zed registered, e-cash 900' });
      expect((await run('add-user', '--account', 'zed', '--name', 'Zed')).err).toMatch(
        /409 account_exists/,
      );
    } finally {
      delete process.env.TAPSAFE_USER_PASSWORD;
    }
    expect((await run('load-account', 'zed', '--amount', '100')).out).toBe(
      'account zed e-cash 1000',
    );

    const response = await fetch(new URL('/v1/activations', cli.platform().url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        imei: '490154203237518',
        imsi: '310150123456789',
        walletPublicKey: Buffer.from(generateSigningKey().publicKey).toString('hex'),
        registration: { accountId: 'zed', password: 'zed secret password' },
        amount: 600,
      }),
    });
    const { walletId } = (await response.json()) as { walletId: string };

    const account = JSON.parse((await run('show-account', 'zed')).out) as Record<string, unknown>;
    expect(account).toMatchObject({ accountId: 'zed', balance: 400, wallets: [{ walletId }] });
    expect((await run('top-up', walletId, '--amount', '250')).out).toBe(
      `wallet ${walletId} balance 850 (notice 1)`,
    );
    const wallet = JSON.parse((await run('show-wallet', walletId)).out) as Record<string, unknown>;
    expect(wallet).toMatchObject({
      walletId,
      status: 'active',
      balance: 850,
      serial: 1,
      pendingNotices: [{ sequence: 1, type: 'top_up' }],
    });
    expect((await run('show-wallet', 'nothex')).code).toBe(2);
  });
});
